import type { CounterpartyCommitment, HolderCommitment, MonitorCommitmentData, MonitorHtlc } from 'ln-chain-api';
import type { ChannelParameters } from 'ln-signer-api';
import type { ChannelBasepoints, CommitmentFormat } from 'ln-tx';
import { txid } from 'ln-types';
import type { Reader, Writer } from 'ln-wire';
import { MonitorError } from '../errors.js';
import { readBool, readCount, readOutPoint, readPoint, writeOutPoint } from './primitives.js';

// The channel data of a stored monitor: parameters, commitments and HTLCs, in
// the same layout as ln-chain-api's monitor codec uses for them.

const FORMATS: readonly CommitmentFormat[] = ['static_remotekey', 'anchors'];
const MAX_HTLCS = 966;

export function writeBasepoints(w: Writer, b: ChannelBasepoints): void {
  w.fixed(b.fundingPubkey, 33, 'funding pubkey');
  w.fixed(b.revocationBasepoint, 33, 'revocation basepoint');
  w.fixed(b.paymentBasepoint, 33, 'payment basepoint');
  w.fixed(b.delayedPaymentBasepoint, 33, 'delayed payment basepoint');
  w.fixed(b.htlcBasepoint, 33, 'htlc basepoint');
}

export function readBasepoints(r: Reader): ChannelBasepoints {
  return {
    fundingPubkey: readPoint(r, 'funding pubkey').slice(),
    revocationBasepoint: readPoint(r, 'revocation basepoint').slice(),
    paymentBasepoint: readPoint(r, 'payment basepoint').slice(),
    delayedPaymentBasepoint: readPoint(r, 'delayed payment basepoint').slice(),
    htlcBasepoint: readPoint(r, 'htlc basepoint').slice(),
  };
}

export function writeParameters(w: Writer, p: ChannelParameters): void {
  writeBasepoints(w, p.holderPubkeys);
  writeBasepoints(w, p.counterpartyPubkeys);
  w.u8(p.holderIsOpener ? 1 : 0);
  w.u16(p.holderSelectedContestDelay);
  w.u16(p.counterpartySelectedContestDelay);
  w.u64(p.holderDustLimitSat);
  w.u64(p.counterpartyDustLimitSat);
  writeOutPoint(w, p.fundingOutpoint);
  w.u64(p.fundingAmountSat);
  w.u8(FORMATS.indexOf(p.format));
}

export function readParameters(r: Reader): ChannelParameters {
  const holderPubkeys = readBasepoints(r);
  const counterpartyPubkeys = readBasepoints(r);
  const holderIsOpener = readBool(r, 'holder is opener');
  const holderSelectedContestDelay = r.u16('holder contest delay');
  const counterpartySelectedContestDelay = r.u16('counterparty contest delay');
  const holderDustLimitSat = r.u64('holder dust limit');
  const counterpartyDustLimitSat = r.u64('counterparty dust limit');
  const fundingOutpoint = readOutPoint(r);
  const fundingAmountSat = r.u64('funding amount');
  const format = FORMATS[r.u8('commitment format')];
  if (format === undefined) throw new MonitorError('malformed', 'unknown commitment format');
  return {
    holderPubkeys,
    counterpartyPubkeys,
    holderIsOpener,
    holderSelectedContestDelay,
    counterpartySelectedContestDelay,
    holderDustLimitSat,
    counterpartyDustLimitSat,
    fundingOutpoint,
    fundingAmountSat,
    format,
  };
}

export function writeHtlc(w: Writer, h: MonitorHtlc): void {
  w.u8((h.offered ? 1 : 0) | (h.source === undefined ? 0 : 2));
  w.u64(h.htlcId);
  w.u64(h.amountMsat);
  w.u32(h.cltvExpiry);
  w.fixed(h.paymentHash, 32, 'payment hash');
  if (h.source !== undefined) w.u16Bytes(h.source, 'htlc source');
}

export function readHtlc(r: Reader): MonitorHtlc {
  const flags = r.u8('htlc flags');
  if (flags > 3) throw new MonitorError('malformed', 'unknown htlc flags');
  const htlcId = r.u64('htlc id');
  const amountMsat = r.u64('htlc amount');
  const cltvExpiry = r.u32('cltv expiry');
  const paymentHash = r.bytes(32, 'payment hash').slice();
  const source = (flags & 2) !== 0 ? r.u16Bytes('htlc source').slice() : undefined;
  return { offered: (flags & 1) !== 0, htlcId, amountMsat, cltvExpiry, paymentHash, ...(source === undefined ? {} : { source }) };
}

export function writeHtlcs(w: Writer, htlcs: readonly MonitorHtlc[]): void {
  if (htlcs.length > MAX_HTLCS) throw new MonitorError('malformed', `more than ${MAX_HTLCS} HTLCs`);
  w.u16(htlcs.length);
  for (const h of htlcs) writeHtlc(w, h);
}

export function readHtlcs(r: Reader): MonitorHtlc[] {
  const count = r.u16('htlc count');
  if (count > MAX_HTLCS) throw new MonitorError('malformed', `more than ${MAX_HTLCS} HTLCs`);
  const htlcs: MonitorHtlc[] = [];
  for (let i = 0; i < count; i++) htlcs.push(readHtlc(r));
  return htlcs;
}

export function writeCommitmentData(w: Writer, d: MonitorCommitmentData): void {
  w.u64(d.commitmentNumber);
  w.fixed(d.perCommitmentPoint, 33, 'per-commitment point');
  w.u32(d.feeratePerKw);
  w.u64(d.toBroadcasterMsat);
  w.u64(d.toCountersignatoryMsat);
  writeHtlcs(w, d.htlcs);
}

export function readCommitmentData(r: Reader): MonitorCommitmentData {
  const commitmentNumber = r.u64('commitment number');
  const perCommitmentPoint = readPoint(r, 'per-commitment point').slice();
  const feeratePerKw = r.u32('feerate');
  const toBroadcasterMsat = r.u64('to broadcaster');
  const toCountersignatoryMsat = r.u64('to countersignatory');
  const htlcs = readHtlcs(r);
  return { commitmentNumber, perCommitmentPoint, feeratePerKw, toBroadcasterMsat, toCountersignatoryMsat, htlcs };
}

export function writeHolderCommitment(w: Writer, c: HolderCommitment): void {
  writeCommitmentData(w, c.data);
  w.fixed(c.counterpartySignature, 64, 'counterparty signature');
  w.u16(c.htlcSignatures.length);
  for (const s of c.htlcSignatures) w.fixed(s, 64, 'htlc signature');
}

export function readHolderCommitment(r: Reader): HolderCommitment {
  const data = readCommitmentData(r);
  const counterpartySignature = r.bytes(64, 'counterparty signature').slice();
  const count = r.u16('htlc signature count');
  if (count > data.htlcs.length) throw new MonitorError('malformed', 'more HTLC signatures than HTLCs');
  const htlcSignatures: Uint8Array[] = [];
  for (let i = 0; i < count; i++) htlcSignatures.push(r.bytes(64, 'htlc signature').slice());
  return { data, counterpartySignature, htlcSignatures };
}

export function writeCounterpartyCommitment(w: Writer, c: CounterpartyCommitment): void {
  writeCommitmentData(w, c.data);
  w.fixed(c.txid, 32, 'commitment txid');
}

export function readCounterpartyCommitment(r: Reader): CounterpartyCommitment {
  const data = readCommitmentData(r);
  return { data, txid: txid(r.bytes(32, 'commitment txid').slice()) };
}

export { readCount };
