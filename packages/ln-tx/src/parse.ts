import { ripemd160, sha256 } from 'ln-crypto';
import { equalBytes } from 'ln-types';
import { decodeObscuredCommitmentNumber } from './obscure.js';
import { offeredHtlcScriptFromHashes, receivedHtlcScriptFromHashes } from './scripts/htlc.js';
import type { Tx } from './tx.js';

/**
 * The commitment number of a transaction if it is shaped like a commitment of the
 * channel with this obscuring factor (version 2, one input, 0x20/0x80 marker bytes).
 */
export function commitmentNumberFromTx(tx: Tx, obscuringFactor: bigint): bigint | undefined {
  if (tx.version !== 2 || tx.inputs.length !== 1) return undefined;
  return decodeObscuredCommitmentNumber(tx.locktime, tx.inputs[0]!.sequence, obscuringFactor);
}

type Token = { op: number } | { data: Uint8Array };

/** Splits a script into opcodes and pushes; undefined on a truncated push. */
export function tokenizeScript(script: Uint8Array): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < script.length) {
    const b = script[i++]!;
    let len = -1;
    if (b >= 1 && b <= 75) len = b;
    else if (b === 0x4c) len = i < script.length ? script[i++]! : -2;
    else if (b === 0x4d) {
      if (i + 2 > script.length) return undefined;
      len = script[i]! | (script[i + 1]! << 8);
      i += 2;
    } else if (b === 0x4e) return undefined;
    if (len === -2) return undefined;
    if (len < 0) out.push({ op: b });
    else {
      if (i + len > script.length) return undefined;
      out.push({ data: script.subarray(i, i + len) });
      i += len;
    }
  }
  return out;
}

/** What an HTLC witness script was recognised as, with the values it embeds. */
export interface HtlcScriptMatch {
  /** offered = offered by the commitment's broadcaster (HTLC-timeout path for it). */
  readonly kind: 'offered' | 'received';
  readonly anchors: boolean;
  readonly revocationHash: Uint8Array;
  readonly countersignatoryHtlcPubkey: Uint8Array;
  readonly broadcasterHtlcPubkey: Uint8Array;
  /** RIPEMD160 of the payment hash. */
  readonly paymentHash160: Uint8Array;
  /** Received HTLCs only. */
  readonly cltvExpiry?: number;
}

function dataAt(tokens: Token[], i: number, len: number): Uint8Array | undefined {
  const t = tokens[i];
  return t !== undefined && 'data' in t && t.data.length === len ? t.data : undefined;
}

function scriptNum(tokens: Token[], i: number): number | undefined {
  const t = tokens[i];
  if (t !== undefined && 'op' in t) {
    if (t.op === 0) return 0;
    return t.op >= 0x51 && t.op <= 0x60 ? t.op - 0x50 : undefined;
  }
  if (t === undefined || t.data.length === 0 || t.data.length > 5) return undefined;
  let v = 0;
  for (let k = t.data.length - 1; k >= 0; k--) v = v * 256 + t.data[k]!;
  return v;
}

/**
 * Recognises an offered or received HTLC script (legacy or anchors) by rebuilding
 * it from the values it carries and comparing byte for byte, so only scripts
 * exactly as BOLT 3 writes them match.
 */
export function matchHtlcScript(script: Uint8Array): HtlcScriptMatch | undefined {
  const t = tokenizeScript(script);
  if (t === undefined) return undefined;
  const revocationHash = dataAt(t, 2, 20);
  const countersignatoryHtlcPubkey = dataAt(t, 7, 33);
  if (revocationHash === undefined || countersignatoryHtlcPubkey === undefined) return undefined;
  for (const anchors of [false, true]) {
    const local = dataAt(t, 16, 33);
    const pay = dataAt(t, 21, 20);
    if (local !== undefined && pay !== undefined) {
      const keys = { broadcasterHtlcPubkey: local, countersignatoryHtlcPubkey };
      if (equalBytes(offeredHtlcScriptFromHashes(revocationHash, keys, pay, anchors), script)) {
        return { kind: 'offered', anchors, revocationHash, countersignatoryHtlcPubkey, broadcasterHtlcPubkey: local, paymentHash160: pay };
      }
    }
    const rpay = dataAt(t, 14, 20);
    const rlocal = dataAt(t, 18, 33);
    const cltv = scriptNum(t, 23);
    if (rpay !== undefined && rlocal !== undefined && cltv !== undefined && cltv < 500_000_000) {
      const keys = { broadcasterHtlcPubkey: rlocal, countersignatoryHtlcPubkey };
      if (equalBytes(receivedHtlcScriptFromHashes(revocationHash, keys, rpay, cltv, anchors), script)) {
        return { kind: 'received', anchors, revocationHash, countersignatoryHtlcPubkey, broadcasterHtlcPubkey: rlocal, paymentHash160: rpay, cltvExpiry: cltv };
      }
    }
  }
  return undefined;
}

/** How an HTLC output was spent, read from the spending input's witness. */
export type HtlcSpend =
  | { readonly kind: 'revocation' }
  | { readonly kind: 'preimage'; readonly preimage: Uint8Array }
  | { readonly kind: 'timeout' };

/**
 * Classifies a witness spending an HTLC output (its last item must be an HTLC
 * script): revocation key path, a preimage (HTLC-success or the remote claim: the
 * preimage is returned for the monitor to pull upstream), or a timeout path.
 */
export function classifyHtlcSpend(witness: readonly Uint8Array[]): HtlcSpend | undefined {
  const script = witness[witness.length - 1];
  if (script === undefined) return undefined;
  const m = matchHtlcScript(script);
  if (m === undefined) return undefined;
  if (witness.length === 3 && witness[1]!.length === 33) return { kind: 'revocation' };
  const candidate = witness.length === 5 ? witness[3]! : witness.length === 3 ? witness[1]! : undefined;
  if (candidate === undefined) return undefined;
  if (candidate.length === 32 && equalBytes(ripemd160(sha256(candidate)), m.paymentHash160)) return { kind: 'preimage', preimage: candidate };
  if (candidate.length === 0) return { kind: 'timeout' };
  return undefined;
}
