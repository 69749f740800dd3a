/**
 * What the demo server tells the page (served as JSON at {@link CONFIG_PATH}):
 * where the gossip source is, through which proxy, and what to expect.
 */
export interface DemoConfig {
  /** Chain hash of the gossip, hex. */
  readonly chainHash: string;
  /** The gossip's generation time in seconds: the page's clock, so generated updates are not stale. */
  readonly clockSeconds: number;
  /** The gossip source's node id, hex (BOLT 8 is authenticated end to end with it). */
  readonly sourceNodeId: string;
  /** The gossip source's TCP address as the proxy should reach it, `host:port`. */
  readonly sourceTarget: string;
  /** The proxy's base URL, `ws://host:port`. */
  readonly proxyUrl: string;
  /** Channels the source holds, for the progress bar. */
  readonly expectedChannels: number;
  /** Path of the routing server's RGS snapshot (same origin as the page). */
  readonly rgsPath: string;
}

/** Where the page fetches its {@link DemoConfig}. */
export const CONFIG_PATH = '/demo/config.json';
