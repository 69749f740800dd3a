import type { MonitorHtlc } from 'ln-chain-api';
import type { Secp256k1Backend } from 'ln-crypto';
import { sha256 } from 'ln-crypto';
import { type OutPoint, type Txid, equalBytes, outPoint, outPointKey, toHex } from 'ln-types';
import { type Tx, classifyHtlcSpend, p2wsh } from 'ln-tx';
import { holderCommitmentOutputs, holderDelayedScript, counterpartyCommitmentOutputs, revokedCommitmentOutputs, revokedToLocalScript } from '../claims/commitment-outputs.js';
import { holderRecord } from '../claims/holder-claims.js';
import { classifyFundingSpend, spendsOutpoint } from './classify-funding-spend.js';
import type { FundingSpend, MonitorState, OutputSpend, TrackedOutput } from './state.js';
import { commitmentNumberToIndex } from 'ln-tx';

// How a monitor's chain state follows confirmed transactions and reorgs: the
// funding spend and the outputs it creates, who spends each watched output (with
// the preimage a witness reveals), the second-stage outputs that follow. All of
// it is tentative until ANTI_REORG_DELAY deep: a disconnected block removes what
// its transactions created or spent (see disconnectFrom).

/** What a monitor needs from its owner while it processes transactions. */
export interface ChainContext {
  readonly state: MonitorState;
  readonly backend: Secp256k1Backend;
  readonly obscuringFactor: bigint;
  /** An output the monitor now watches (for the ChainMonitor's index and a Filter). */
  watch(outpoint: OutPoint, script: Uint8Array): void;
  /** An HTLC we offered was claimed on chain with this preimage. */
  preimageLearned(htlc: MonitorHtlc, preimage: Uint8Array, txid: Txid): void;
  /** A commitment transaction confirmed. */
  commitmentConfirmed(txid: Txid): void;
}

/** Kinds of outputs only we can spend: reported once final, never claimed against anyone. */
export function isSpendableKind(out: TrackedOutput): boolean {
  return out.kind === 'holder_delayed' || out.kind === 'static_payment' || out.kind === 'static_output';
}

function addOutput(ctx: ChainContext, out: TrackedOutput): void {
  const key = outPointKey(out.outpoint);
  if (ctx.state.outputs.has(key)) return;
  ctx.state.outputs.set(key, out);
  if (!isSpendableKind(out)) ctx.watch(out.outpoint, out.script);
}

function onFundingSpend(ctx: ChainContext, tx: Tx, txid: Txid, height: number): void {
  const { state, backend } = ctx;
  const classified = classifyFundingSpend(state, tx, txid, ctx.obscuringFactor);
  let kind: FundingSpend['kind'] = classified.kind;
  let outputs: TrackedOutput[] = [];
  let commitmentNumber: bigint | undefined;
  switch (classified.kind) {
    case 'holder':
      outputs = holderCommitmentOutputs(state, classified.record, height, backend);
      commitmentNumber = classified.record.commitment.data.commitmentNumber;
      break;
    case 'counterparty':
      outputs = counterpartyCommitmentOutputs(state, classified.commitment, height, backend);
      commitmentNumber = classified.commitment.data.commitmentNumber;
      break;
    case 'revoked':
      outputs = revokedCommitmentOutputs(state, tx, txid, classified.commitmentNumber, classified.secret, classified.htlcs, height, backend);
      commitmentNumber = classified.commitmentNumber;
      if (outputs.length === 0) kind = 'unknown_commitment';
      break;
    case 'unknown_commitment':
      commitmentNumber = classified.commitmentNumber;
      break;
    case 'cooperative':
      break;
  }
  const sourcesOnChain = outputs.flatMap((o) => ('htlc' in o && o.htlc.source !== undefined ? [o.htlc.source] : []));
  state.fundingSpend = { txid, tx, height, kind, ...(commitmentNumber === undefined ? {} : { commitmentNumber }), sourcesOnChain, final: false };
  for (const o of outputs) addOutput(ctx, o);
  if (kind !== 'cooperative') ctx.commitmentConfirmed(txid);
}

/** The output our or their second-stage transaction creates at `index`, if it is the script we expect. */
function secondStageOutput(ctx: ChainContext, spent: TrackedOutput, tx: Tx, txid: Txid, index: number, height: number): TrackedOutput | undefined {
  const o = tx.outputs[index];
  if (o === undefined) return undefined;
  const base = { outpoint: outPoint(txid, index), amountSat: o.amount, script: o.script, confirmedAt: height };
  if (spent.kind === 'revoked_htlc') {
    const secret = ctx.state.secrets.get(commitmentNumberToIndex(spent.commitmentNumber));
    if (secret === undefined) return undefined;
    const ws = revokedToLocalScript(ctx.state, secret, ctx.backend);
    return equalBytes(p2wsh(ws), o.script) ? { ...base, kind: 'revoked_to_local', commitmentNumber: spent.commitmentNumber, witnessScript: ws } : undefined;
  }
  if (spent.kind === 'holder_htlc') {
    const ws = holderDelayedScript(ctx.state, holderRecord(ctx.state, spent.commitmentNumber), ctx.backend);
    return equalBytes(p2wsh(ws), o.script) ? { ...base, kind: 'holder_delayed', commitmentNumber: spent.commitmentNumber, witnessScript: ws } : undefined;
  }
  return undefined;
}

/**
 * Takes one confirmed transaction into account. Returns true if it concerned the
 * monitor (it spent the funding output or a watched output).
 */
export function processTransaction(ctx: ChainContext, tx: Tx, txid: Txid, height: number): boolean {
  const { state } = ctx;
  let relevant = false;
  if (state.fundingSpend === undefined && spendsOutpoint(tx, state.parameters.fundingOutpoint)) {
    relevant = true;
    onFundingSpend(ctx, tx, txid, height);
  }
  let spentClaimable = false;
  tx.inputs.forEach((input, i) => {
    const out = state.outputs.get(outPointKey(input.previousOutput));
    if (out === undefined || out.spentBy !== undefined || isSpendableKind(out)) return;
    relevant = true;
    const witness = input.witness ?? [];
    const htlc = 'htlc' in out ? out.htlc : undefined;
    let preimage: Uint8Array | undefined;
    if (htlc !== undefined) {
      const spend = classifyHtlcSpend(witness);
      if (spend?.kind === 'preimage' && equalBytes(sha256(spend.preimage), htlc.paymentHash)) preimage = spend.preimage;
    }
    out.spentBy = preimage === undefined ? { txid, height } : { txid, height, preimage };
    if (htlc !== undefined && preimage !== undefined) {
      const hashKey = toHex(htlc.paymentHash);
      if (!state.preimages.has(hashKey)) state.preimages.set(hashKey, preimage);
      ctx.preimageLearned(htlc, preimage, txid);
    }
    // A second-stage HTLC transaction (multisig witness of five items) pays its
    // output at the same index as the input it spends (SIGHASH_SINGLE pairs them).
    if (witness.length === 5 && (out.kind === 'revoked_htlc' || out.kind === 'holder_htlc')) {
      const next = secondStageOutput(ctx, out, tx, txid, i, height);
      if (next !== undefined) addOutput(ctx, next);
    } else if (out.kind !== 'holder_htlc') {
      spentClaimable = true;
    }
  });
  if (spentClaimable) {
    // Our claims pay the destination script: those outputs are ours once final.
    tx.outputs.forEach((o, vout) => {
      if (equalBytes(o.script, state.destinationScript)) {
        addOutput(ctx, { kind: 'static_output', outpoint: outPoint(txid, vout), amountSat: o.amount, script: o.script, confirmedAt: height });
      }
    });
  }
  return relevant;
}

/**
 * Classifies the funding spend again (a secret arrived that revokes the
 * counterparty commitment on chain): its outputs are tracked anew, keeping who
 * spent them. Returns true if the classification changed.
 */
export function reclassifyFundingSpend(ctx: ChainContext): boolean {
  const { state } = ctx;
  const spend = state.fundingSpend;
  if (spend === undefined || spend.final) return false;
  const id = toHex(spend.txid);
  const spent = new Map<string, OutputSpend>();
  for (const [key, out] of state.outputs) {
    if (toHex(out.outpoint.txid) !== id) continue;
    if (out.spentBy !== undefined) spent.set(key, out.spentBy);
    state.outputs.delete(key);
  }
  delete state.fundingSpend;
  onFundingSpend(ctx, spend.tx, spend.txid, spend.height);
  for (const [key, by] of spent) {
    const out = state.outputs.get(key);
    if (out !== undefined) out.spentBy = by;
  }
  return (state.fundingSpend as FundingSpend | undefined)?.kind !== spend.kind;
}

/**
 * Undoes what blocks at `height` and above did (they left the best chain): the
 * funding spend if it is not final, outputs created there, spends made there.
 * Returns true if anything changed.
 */
export function disconnectFrom(state: MonitorState, requested: number): boolean {
  // What is ANTI_REORG_DELAY deep is final: a deeper reorg cannot take it back (as in LDK).
  const height = Math.max(requested, state.finalHeight + 1);
  let changed = false;
  if (state.fundingSpend !== undefined && !state.fundingSpend.final && state.fundingSpend.height >= height) {
    delete state.fundingSpend;
    changed = true;
  }
  for (const [key, out] of state.outputs) {
    if (out.confirmedAt >= height) {
      state.outputs.delete(key);
      changed = true;
    } else if (out.spentBy !== undefined && out.spentBy.height >= height) {
      delete out.spentBy;
      changed = true;
    }
  }
  return changed;
}

/** Heights of the transactions the monitor depends on, by txid hex (for Confirm.getRelevantTxids). */
export function relevantTxids(state: MonitorState): Map<string, { txid: Txid; height: number }> {
  const out = new Map<string, { txid: Txid; height: number }>();
  const add = (txid: Txid, height: number) => out.set(toHex(txid), { txid, height });
  if (state.fundingSpend !== undefined && !state.fundingSpend.final) add(state.fundingSpend.txid, state.fundingSpend.height);
  for (const o of state.outputs.values()) {
    add(o.outpoint.txid, o.confirmedAt);
    if (o.spentBy !== undefined) add(o.spentBy.txid, o.spentBy.height);
  }
  return out;
}
