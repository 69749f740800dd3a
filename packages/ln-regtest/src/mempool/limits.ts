import type { TxInfo } from '../chain/tx-info.js';
import { type Rejection, rejection } from '../validation/rejection.js';
import type { Mempool, MempoolEntry } from './mempool.js';
import type { RelayPolicy } from './policy.js';

/** Core's EXTRA_DESCENDANT_TX_SIZE_LIMIT: the CPFP carve-out's size bound. */
export const EXTRA_DESCENDANT_TX_SIZE_LIMIT = 10_000;

interface Limits {
  readonly ancestorCount: number;
  readonly ancestorSize: number;
  readonly descendantCount: number;
  readonly descendantSize: number;
}

function check(ancestors: ReadonlySet<MempoolEntry>, vsize: number, limits: Limits, mempool: Mempool): string | undefined {
  let ancestorSize = vsize;
  for (const a of ancestors) {
    const descendants = mempool.descendants(a, true);
    let descendantSize = 0;
    for (const d of descendants) descendantSize += d.info.vsize;
    if (descendantSize + vsize > limits.descendantSize) return `exceeds descendant size limit for tx ${a.info.txidHex} [limit: ${limits.descendantSize}]`;
    if (descendants.size + 1 > limits.descendantCount) return `too many descendants for tx ${a.info.txidHex} [limit: ${limits.descendantCount}]`;
    ancestorSize += a.info.vsize;
    if (ancestorSize > limits.ancestorSize) return `exceeds ancestor size limit [limit: ${limits.ancestorSize}]`;
  }
  if (ancestors.size + 1 > limits.ancestorCount) return `too many unconfirmed ancestors [limit: ${limits.ancestorCount}]`;
  return undefined;
}

/**
 * Core's ancestor and descendant limits for a new transaction, with the CPFP
 * carve-out that Lightning anchors rely on: a small child (up to 10,000 vB)
 * with a single unconfirmed ancestor may exceed the parent's descendant limit by one.
 */
export function checkPackageLimits(info: TxInfo, ancestors: ReadonlySet<MempoolEntry>, mempool: Mempool, policy: RelayPolicy): Rejection | undefined {
  const limits: Limits = {
    ancestorCount: policy.ancestorCount,
    ancestorSize: policy.ancestorSizeVbytes,
    descendantCount: policy.descendantCount,
    descendantSize: policy.descendantSizeVbytes,
  };
  const error = check(ancestors, info.vsize, limits, mempool);
  if (error === undefined) return undefined;
  if (info.vsize > EXTRA_DESCENDANT_TX_SIZE_LIMIT) return rejection('mempool-policy', 'too-long-mempool-chain', error);
  const carveOut: Limits = {
    ancestorCount: 2,
    ancestorSize: limits.ancestorSize,
    descendantCount: limits.descendantCount + 1,
    descendantSize: limits.descendantSize + EXTRA_DESCENDANT_TX_SIZE_LIMIT,
  };
  if (check(ancestors, info.vsize, carveOut, mempool) !== undefined) return rejection('mempool-policy', 'too-long-mempool-chain', error);
  return undefined;
}
