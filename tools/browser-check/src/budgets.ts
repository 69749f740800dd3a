/**
 * Size budgets in bytes of minified + gzipped browser bundles. A budget
 * applies once every package it names exists in the workspace.
 */
export interface Budget {
  readonly name: string;
  readonly packages: readonly string[];
  readonly maxGzipBytes: number;
}

export const BUDGETS: readonly Budget[] = [
  // Issue 10: the protocol stack a browser wallet needs to sync gossip and route, noble included.
  { name: 'wire+noise+gossip+router', packages: ['ln-wire', 'ln-noise', 'ln-gossip', 'ln-router'], maxGzipBytes: 100_000 },
];
