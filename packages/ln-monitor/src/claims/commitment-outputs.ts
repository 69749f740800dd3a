import type { CounterpartyCommitment, MonitorHtlc } from 'ln-chain-api';
import type { Secp256k1Backend } from 'ln-crypto';
import { type Txid, outPoint, toHex } from 'ln-types';
import {
  type Tx,
  deriveCommitmentKeys,
  offeredHtlcScript,
  p2wsh,
  perCommitmentPoint,
  receivedHtlcScript,
  toLocalScript,
  toRemoteAnchorsScript,
  toRemoteOutputScript,
} from 'ln-tx';
import { buildOrRefuse } from '../monitor/commitments.js';
import type { HolderCommitmentRecord, MonitorState, TrackedOutput } from '../monitor/state.js';

// The outputs of a commitment on chain that the monitor watches, per kind of
// commitment. Each becomes a TrackedOutput: claimed by us (justice, HTLC claims,
// our HTLC transactions), reported as ours once final (to_remote, delayed
// outputs), or watched for who spends it (HTLC outputs we cannot claim yet).

/** Outputs of our own commitment. */
export function holderCommitmentOutputs(state: MonitorState, record: HolderCommitmentRecord, height: number, backend: Secp256k1Backend): TrackedOutput[] {
  const data = record.commitment.data;
  const built = buildOrRefuse(state.parameters, data, true, backend);
  const out: TrackedOutput[] = [];
  built.outputs.forEach((o, vout) => {
    const base = { outpoint: outPoint(record.txid, vout), amountSat: o.amountSat, script: o.script, confirmedAt: height };
    if (o.kind === 'to_local') out.push({ ...base, kind: 'holder_delayed', commitmentNumber: data.commitmentNumber, witnessScript: o.witnessScript! });
    else if (o.kind === 'htlc') out.push({ ...base, kind: 'holder_htlc', commitmentNumber: data.commitmentNumber, witnessScript: o.witnessScript!, htlc: data.htlcs[o.htlcIndex!]! });
  });
  return out;
}

/** The witness script of our to_local on holder commitment `n` (also the output script of its HTLC transactions). */
export function holderDelayedScript(state: MonitorState, record: HolderCommitmentRecord, backend: Secp256k1Backend): Uint8Array {
  const p = state.parameters;
  const keys = deriveCommitmentKeys(record.commitment.data.perCommitmentPoint, p.holderPubkeys, p.counterpartyPubkeys, backend);
  return toLocalScript(keys.revocationPubkey, p.counterpartySelectedContestDelay, keys.broadcasterDelayedPubkey);
}

/** Outputs of the counterparty's latest or previous (unrevoked) commitment. */
export function counterpartyCommitmentOutputs(state: MonitorState, commitment: CounterpartyCommitment, height: number, backend: Secp256k1Backend): TrackedOutput[] {
  const data = commitment.data;
  const built = buildOrRefuse(state.parameters, data, false, backend);
  const out: TrackedOutput[] = [];
  built.outputs.forEach((o, vout) => {
    const base = { outpoint: outPoint(commitment.txid, vout), amountSat: o.amountSat, script: o.script, confirmedAt: height };
    if (o.kind === 'to_remote') {
      out.push(o.witnessScript === undefined ? { ...base, kind: 'static_payment' } : { ...base, kind: 'static_payment', witnessScript: o.witnessScript });
    } else if (o.kind === 'htlc') {
      out.push({
        ...base,
        kind: 'counterparty_htlc',
        commitmentNumber: data.commitmentNumber,
        perCommitmentPoint: data.perCommitmentPoint,
        witnessScript: o.witnessScript!,
        htlc: data.htlcs[o.htlcIndex!]!,
      });
    }
  });
  return out;
}

/** The witness script of the counterparty's revoked to_local (and of its HTLC transactions' outputs) for a secret. */
export function revokedToLocalScript(state: MonitorState, secret: Uint8Array, backend: Secp256k1Backend): Uint8Array {
  const p = state.parameters;
  const keys = deriveCommitmentKeys(perCommitmentPoint(secret, backend), p.counterpartyPubkeys, p.holderPubkeys, backend);
  return toLocalScript(keys.revocationPubkey, p.holderSelectedContestDelay, keys.broadcasterDelayedPubkey);
}

/**
 * Outputs of a revoked counterparty commitment, found by rebuilding every script
 * it can hold from the secret: to_local (theirs, punished), to_remote (ours) and
 * each HTLC the commitment carried (punished). Empty when nothing matches (not a
 * commitment of the counterparty after all).
 */
export function revokedCommitmentOutputs(
  state: MonitorState,
  tx: Tx,
  txid: Txid,
  commitmentNumber: bigint,
  secret: Uint8Array,
  htlcs: readonly MonitorHtlc[],
  height: number,
  backend: Secp256k1Backend,
): TrackedOutput[] {
  const p = state.parameters;
  const anchors = p.format === 'anchors';
  const keys = deriveCommitmentKeys(perCommitmentPoint(secret, backend), p.counterpartyPubkeys, p.holderPubkeys, backend);
  const toLocal = toLocalScript(keys.revocationPubkey, p.holderSelectedContestDelay, keys.broadcasterDelayedPubkey);
  const toLocalHex = toHex(p2wsh(toLocal));
  const toRemoteHex = toHex(toRemoteOutputScript(p.holderPubkeys.paymentBasepoint, anchors));
  // HTLC scripts by output script, each with the HTLCs (several may share one script) not yet matched.
  const byScript = new Map<string, { witnessScript: Uint8Array; htlcs: MonitorHtlc[] }>();
  for (const h of htlcs) {
    const ws = h.offered ? offeredHtlcScript(keys, h.paymentHash, anchors) : receivedHtlcScript(keys, h.paymentHash, h.cltvExpiry, anchors);
    const key = toHex(p2wsh(ws));
    const entry = byScript.get(key);
    if (entry === undefined) byScript.set(key, { witnessScript: ws, htlcs: [h] });
    else entry.htlcs.push(h);
  }
  const out: TrackedOutput[] = [];
  tx.outputs.forEach((o, vout) => {
    const base = { outpoint: outPoint(txid, vout), amountSat: o.amount, script: o.script, confirmedAt: height };
    const scriptHex = toHex(o.script);
    if (scriptHex === toLocalHex) {
      out.push({ ...base, kind: 'revoked_to_local', commitmentNumber, witnessScript: toLocal });
    } else if (scriptHex === toRemoteHex) {
      out.push(anchors ? { ...base, kind: 'static_payment', witnessScript: toRemoteAnchorsScript(p.holderPubkeys.paymentBasepoint) } : { ...base, kind: 'static_payment' });
    } else {
      const entry = byScript.get(scriptHex);
      if (entry === undefined || entry.htlcs.length === 0) return;
      const i = Math.max(0, entry.htlcs.findIndex((h) => h.amountMsat / 1000n === o.amount));
      const [htlc] = entry.htlcs.splice(i, 1);
      out.push({ ...base, kind: 'revoked_htlc', commitmentNumber, witnessScript: entry.witnessScript, htlc: htlc! });
    }
  });
  return out;
}
