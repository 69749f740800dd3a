import { ANTI_REORG_DELAY, type MonitorHtlc, type SpendableOutputDescriptor } from 'ln-chain-api';
import { type Txid, toHex } from 'ln-types';
import { isSpendableKind } from './chain-processing.js';
import type { MonitorState, TrackedOutput } from './state.js';

// What becomes final once ANTI_REORG_DELAY deep: the funding spend (HTLCs that
// did not make it on chain fail), spends of watched outputs (HTLCs we offered and
// did not see claimed with a preimage fail), and our outputs (reported spendable,
// past their CSV delay). Final things are forgotten: no reorg can undo them.

/** What finalization asks the monitor to report. */
export interface Finalized {
  /** HTLCs we offered that failed on chain, with the transaction that settled them. */
  readonly failedHtlcs: { htlc: MonitorHtlc; txid: Txid }[];
  readonly spendable: SpendableOutputDescriptor[];
  /** Anything changed. */
  changed: boolean;
}

/** True if a transaction confirmed at `confirmedAt` is ANTI_REORG_DELAY deep at `height`. */
export function isDeep(confirmedAt: number, height: number, depth = ANTI_REORG_DELAY): boolean {
  return height - confirmedAt + 1 >= depth;
}

/** The HTLCs we offered in the commitments that could still have been broadcast. */
export function liveOutboundHtlcs(state: MonitorState): MonitorHtlc[] {
  const all = [
    ...state.holderCurrent.commitment.data.htlcs,
    ...state.counterpartyCurrent.data.htlcs,
    ...(state.counterpartyPrevious?.data.htlcs ?? []),
  ].filter((h) => h.source !== undefined);
  const seen = new Set<string>();
  return all.filter((h) => {
    const key = toHex(h.source!);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function descriptor(state: MonitorState, out: TrackedOutput): SpendableOutputDescriptor | undefined {
  const output = { script: out.script, valueSat: out.amountSat };
  const common = { channelKeysId: state.channelKeysId, channelValueSat: state.parameters.fundingAmountSat, channelId: state.channelId };
  switch (out.kind) {
    case 'holder_delayed':
      return {
        kind: 'delayed_payment_output',
        outpoint: out.outpoint,
        output,
        witnessScript: out.witnessScript,
        toSelfDelay: state.parameters.counterpartySelectedContestDelay,
        commitmentNumber: out.commitmentNumber,
        ...common,
      };
    case 'static_payment':
      return out.witnessScript === undefined
        ? { kind: 'static_payment_output', outpoint: out.outpoint, output, ...common }
        : { kind: 'static_payment_output', outpoint: out.outpoint, output, witnessScript: out.witnessScript, ...common };
    case 'static_output':
      return { kind: 'static_output', outpoint: out.outpoint, output, channelKeysId: state.channelKeysId };
    default:
      return undefined;
  }
}

/** The height at which one of our outputs may be reported: final, and spendable in the next block. */
function matureAt(state: MonitorState, out: TrackedOutput): number {
  const csv = out.kind === 'holder_delayed' ? state.parameters.counterpartySelectedContestDelay : 1;
  return out.confirmedAt + Math.max(ANTI_REORG_DELAY, csv) - 1;
}

/** Finalizes what is deep enough at `height`. */
export function finalizeMatured(state: MonitorState, height: number): Finalized {
  const result: Finalized = { failedHtlcs: [], spendable: [], changed: false };
  const finalHeight = height - ANTI_REORG_DELAY + 1;
  if (finalHeight > state.finalHeight) state.finalHeight = finalHeight;
  const fail = (htlc: MonitorHtlc, txid: Txid) => {
    const key = toHex(htlc.source!);
    if (state.resolvedSources.has(key)) return;
    state.resolvedSources.set(key, 'failed');
    result.failedHtlcs.push({ htlc, txid });
  };
  const spend = state.fundingSpend;
  if (spend !== undefined && !spend.final && isDeep(spend.height, height)) {
    state.fundingSpend = { ...spend, final: true };
    result.changed = true;
    const onChain = new Set(spend.sourcesOnChain.map(toHex));
    for (const h of liveOutboundHtlcs(state)) if (!onChain.has(toHex(h.source!))) fail(h, spend.txid);
  }
  for (const [key, out] of state.outputs) {
    if (isSpendableKind(out)) {
      if (height >= matureAt(state, out)) {
        const d = descriptor(state, out);
        if (d !== undefined) result.spendable.push(d);
        state.outputs.delete(key);
        result.changed = true;
      }
      continue;
    }
    if (out.spentBy === undefined || !isDeep(out.spentBy.height, height)) continue;
    if ('htlc' in out && out.htlc.source !== undefined && out.spentBy.preimage === undefined) fail(out.htlc, out.spentBy.txid);
    state.outputs.delete(key);
    result.changed = true;
  }
  return result;
}
