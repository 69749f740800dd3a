import type { TxInfo } from '../chain/tx-info.js';
import { type Mempool, type MempoolEntry, txidHexOf } from './mempool.js';

// BIP 431 topologically restricted until confirmation (TRUC, version 3)
// transactions, as bitcoind 28 enforces them: at most one unconfirmed parent
// and one unconfirmed child, small children, no mixing of versions across an
// unconfirmed spend. Sibling eviction is not implemented: a second child is refused.

export const TRUC_VERSION = 3;
export const TRUC_MAX_VSIZE = 10_000;
export const TRUC_CHILD_MAX_VSIZE = 1_000;

const id = (info: TxInfo): string => `${info.txidHex} (wtxid=${info.wtxidHex})`;

function mempoolParents(info: TxInfo, mempool: Mempool): MempoolEntry[] {
  const parents = new Set<MempoolEntry>();
  for (const input of info.tx.inputs) {
    const p = mempool.get(txidHexOf(input.previousOutput.txid));
    if (p !== undefined) parents.add(p);
  }
  return [...parents];
}

/** Core's SingleTRUCChecks for a transaction considered alone; the debug string of a "TRUC-violation". */
export function singleTrucChecks(info: TxInfo, mempool: Mempool, directConflicts: ReadonlySet<MempoolEntry>): string | undefined {
  const parents = mempoolParents(info, mempool);
  const version = info.tx.version;
  for (const p of parents) {
    if (version !== TRUC_VERSION && p.info.tx.version === TRUC_VERSION) return `non-version=3 tx ${id(info)} cannot spend from version=3 tx ${id(p.info)}`;
    if (version === TRUC_VERSION && p.info.tx.version !== TRUC_VERSION) return `version=3 tx ${id(info)} cannot spend from non-version=3 tx ${id(p.info)}`;
  }
  if (version !== TRUC_VERSION) return undefined;
  if (info.vsize > TRUC_MAX_VSIZE) return `version=3 tx ${id(info)} is too big: ${info.vsize} > ${TRUC_MAX_VSIZE} virtual bytes`;
  if (parents.length + 1 > 2) return `tx ${id(info)} would have too many ancestors`;
  if (parents.length > 0) {
    if (info.vsize > TRUC_CHILD_MAX_VSIZE) return `version=3 child tx ${id(info)} is too big: ${info.vsize} > ${TRUC_CHILD_MAX_VSIZE} virtual bytes`;
    const parent = parents[0]!;
    if (parent.parents.size > 0) return `tx ${id(info)} would have too many ancestors`;
    const replaced = [...parent.children].some((c) => directConflicts.has(c));
    if (parent.children.size + 2 > 2 && !replaced) return `tx ${id(parent.info)} would exceed descendant count limit`;
  }
  return undefined;
}

/** Core's PackageTRUCChecks for a transaction judged with the earlier transactions of its package. */
export function packageTrucChecks(info: TxInfo, pkg: readonly TxInfo[], mempool: Mempool): string | undefined {
  const spends = new Set(info.tx.inputs.map((i) => txidHexOf(i.previousOutput.txid)));
  const before = pkg.slice(0, Math.max(0, pkg.indexOf(info)));
  const packageParents = before.filter((p) => spends.has(p.txidHex));
  const ancestors = [...mempool.ancestors(info)];
  if (info.tx.version === TRUC_VERSION) {
    if (info.vsize > TRUC_MAX_VSIZE) return `version=3 tx ${id(info)} is too big: ${info.vsize} > ${TRUC_MAX_VSIZE} virtual bytes`;
    if (ancestors.length + packageParents.length + 1 > 2) return `tx ${id(info)} would have too many ancestors`;
    if (ancestors.length + packageParents.length > 0) {
      if (info.vsize > TRUC_CHILD_MAX_VSIZE) return `version=3 child tx ${id(info)} is too big: ${info.vsize} > ${TRUC_CHILD_MAX_VSIZE} virtual bytes`;
      const parent = ancestors.length > 0 ? { info: ancestors[0]!.info, hasChild: ancestors[0]!.children.size > 0 } : { info: packageParents[0]!, hasChild: false };
      if (parent.info.tx.version !== TRUC_VERSION) return `version=3 tx ${id(info)} cannot spend from non-version=3 tx ${id(parent.info)}`;
      for (const other of pkg) {
        if (other === info) continue;
        for (const input of other.tx.inputs) {
          const spent = txidHexOf(input.previousOutput.txid);
          if (spent === parent.info.txidHex) return `tx ${id(parent.info)} would exceed descendant count limit`;
          if (spent === info.txidHex) return `tx ${id(other)} would have too many ancestors`;
        }
      }
      if (parent.hasChild) return `tx ${id(parent.info)} would exceed descendant count limit`;
    }
    return undefined;
  }
  for (const a of ancestors) if (a.info.tx.version === TRUC_VERSION) return `non-version=3 tx ${id(info)} cannot spend from version=3 tx ${id(a.info)}`;
  for (const p of packageParents) if (p.tx.version === TRUC_VERSION) return `non-version=3 tx ${id(info)} cannot spend from version=3 tx ${id(p)}`;
  return undefined;
}
