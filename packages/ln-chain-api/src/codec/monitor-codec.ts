import { type OutPoint, type Txid, blockHash, channelId, nodeId, txid } from 'ln-types';
import type { ChannelBasepoints, CommitmentFormat } from 'ln-tx';
import type { ChannelParameters } from 'ln-signer-api';
import { Reader, WireError, Writer, readPoint } from 'ln-wire';
import { ChainDataError } from '../errors.js';
import type {
  ChannelMonitorUpdate,
  ChannelMonitorUpdateStep,
  CounterpartyCommitment,
  HolderCommitment,
  MonitorCommitmentData,
  MonitorHtlc,
  NewChannelMonitor,
} from '../monitor-data.js';
import type { MonitorEvent } from '../monitor-event.js';

// A versioned binary form of the monitor contract's data, shared by every
// party that stores or ships it: ChannelManager (updates in flight, replayed
// after a crash), a ChainMonitor's persister, and a watchtower link. Big-endian
// integers, as on the Lightning wire; each top-level value starts with a type
// byte and a version byte so a reader refuses what it does not know instead of
// misreading it.

const VERSION = 1;
const TAG_NEW_MONITOR = 0x01;
const TAG_UPDATE = 0x02;
const TAG_EVENT = 0x03;

/** Most HTLCs a commitment can carry (483 each way). */
const MAX_HTLCS = 966;
/** Most steps an update may carry: a guard against a hostile length. */
const MAX_STEPS = 64;

const FORMATS: readonly CommitmentFormat[] = ['static_remotekey', 'anchors'];
const STEP_KINDS: readonly ChannelMonitorUpdateStep['kind'][] = [
  'latest_holder_commitment',
  'latest_counterparty_commitment',
  'payment_preimage',
  'commitment_secret',
  'channel_force_closed',
  'shutdown_script',
];
const EVENT_KINDS: readonly MonitorEvent['kind'][] = ['htlc_resolved', 'holder_force_closed', 'commitment_tx_confirmed', 'update_completed'];

/** Serializes the data a monitor starts from. */
export function encodeNewChannelMonitor(monitor: NewChannelMonitor): Uint8Array {
  return guard(() => {
    const w = header(TAG_NEW_MONITOR);
    w.fixed(monitor.channelId, 32, 'channel id');
    w.fixed(monitor.counterpartyNodeId, 33, 'counterparty node id');
    w.u16Bytes(monitor.channelKeysId, 'channel keys id');
    writeParameters(w, monitor.parameters);
    w.u16Bytes(monitor.destinationScript, 'destination script');
    writeOptionalBytes(w, monitor.shutdownScript);
    writeHolderCommitment(w, monitor.holderCommitment);
    writeCounterpartyCommitment(w, monitor.counterpartyCommitment);
    w.fixed(monitor.bestBlock.blockHash, 32, 'best block hash');
    w.u32(monitor.bestBlock.height);
    return w.finish();
  });
}

/**
 * Reads {@link encodeNewChannelMonitor}'s bytes.
 * @throws ChainDataError `malformed` or `unsupported_version`
 */
export function decodeNewChannelMonitor(bytes: Uint8Array): NewChannelMonitor {
  return read(bytes, TAG_NEW_MONITOR, (r) => {
    const channel = channelId(r.bytes(32, 'channel id').slice());
    const counterparty = nodeId(readPoint(r, 'counterparty node id').slice());
    const channelKeysId = r.u16Bytes('channel keys id').slice();
    const parameters = readParameters(r);
    const destinationScript = r.u16Bytes('destination script').slice();
    const shutdownScript = readOptionalBytes(r);
    const holderCommitment = readHolderCommitment(r);
    const counterpartyCommitment = readCounterpartyCommitment(r);
    const bestBlock = { blockHash: blockHash(r.bytes(32, 'best block hash').slice()), height: r.u32('best block height') };
    return {
      channelId: channel,
      counterpartyNodeId: counterparty,
      channelKeysId,
      parameters,
      destinationScript,
      ...(shutdownScript === undefined ? {} : { shutdownScript }),
      holderCommitment,
      counterpartyCommitment,
      bestBlock,
    };
  });
}

/** Serializes a monitor update. */
export function encodeChannelMonitorUpdate(update: ChannelMonitorUpdate): Uint8Array {
  return guard(() => {
    const w = header(TAG_UPDATE);
    w.fixed(update.channelId, 32, 'channel id');
    w.u64(update.updateId);
    if (update.steps.length > MAX_STEPS) throw new ChainDataError('malformed', `more than ${MAX_STEPS} steps`);
    w.u16(update.steps.length);
    for (const step of update.steps) writeStep(w, step);
    return w.finish();
  });
}

/**
 * Reads {@link encodeChannelMonitorUpdate}'s bytes.
 * @throws ChainDataError `malformed` or `unsupported_version`
 */
export function decodeChannelMonitorUpdate(bytes: Uint8Array): ChannelMonitorUpdate {
  return read(bytes, TAG_UPDATE, (r) => {
    const channel = channelId(r.bytes(32, 'channel id').slice());
    const updateId = r.u64('update id');
    const count = r.u16('step count');
    if (count > MAX_STEPS) throw new ChainDataError('malformed', `more than ${MAX_STEPS} steps`);
    const steps: ChannelMonitorUpdateStep[] = [];
    for (let i = 0; i < count; i++) steps.push(readStep(r));
    return { channelId: channel, updateId, steps };
  });
}

/** Serializes a monitor event. */
export function encodeMonitorEvent(event: MonitorEvent): Uint8Array {
  return guard(() => {
    const w = header(TAG_EVENT);
    w.u8(EVENT_KINDS.indexOf(event.kind));
    w.fixed(event.channelId, 32, 'channel id');
    w.fixed(event.counterpartyNodeId, 33, 'counterparty node id');
    switch (event.kind) {
      case 'htlc_resolved':
        w.u16Bytes(event.source, 'source');
        w.fixed(event.paymentHash, 32, 'payment hash');
        w.u64(event.amountMsat);
        writeOptionalFixed(w, event.preimage, 32);
        writeOptionalFixed(w, event.txid, 32);
        break;
      case 'holder_force_closed':
        w.u16Bytes(new TextEncoder().encode(event.reason), 'reason');
        break;
      case 'commitment_tx_confirmed':
        w.fixed(event.txid, 32, 'txid');
        break;
      case 'update_completed':
        w.u64(event.updateId);
        break;
    }
    return w.finish();
  });
}

/**
 * Reads {@link encodeMonitorEvent}'s bytes.
 * @throws ChainDataError `malformed` or `unsupported_version`
 */
export function decodeMonitorEvent(bytes: Uint8Array): MonitorEvent {
  return read(bytes, TAG_EVENT, (r) => {
    const kind = EVENT_KINDS[r.u8('event kind')];
    if (kind === undefined) throw new ChainDataError('malformed', 'unknown monitor event kind');
    const channel = channelId(r.bytes(32, 'channel id').slice());
    const counterparty = nodeId(readPoint(r, 'counterparty node id').slice());
    const base = { channelId: channel, counterpartyNodeId: counterparty };
    switch (kind) {
      case 'htlc_resolved': {
        const source = r.u16Bytes('source').slice();
        const paymentHash = r.bytes(32, 'payment hash').slice();
        const amountMsat = r.u64('amount');
        const preimage = readOptionalFixed(r, 32);
        const settledBy = readOptionalFixed(r, 32);
        return {
          kind,
          ...base,
          source,
          paymentHash,
          amountMsat,
          ...(preimage === undefined ? {} : { preimage }),
          ...(settledBy === undefined ? {} : { txid: txid(settledBy) }),
        };
      }
      case 'holder_force_closed':
        return { kind, ...base, reason: new TextDecoder('utf-8', { fatal: true }).decode(r.u16Bytes('reason')) };
      case 'commitment_tx_confirmed':
        return { kind, ...base, txid: txid(r.bytes(32, 'txid').slice()) };
      case 'update_completed':
        return { kind, ...base, updateId: r.u64('update id') };
    }
  });
}

function writeStep(w: Writer, step: ChannelMonitorUpdateStep): void {
  w.u8(STEP_KINDS.indexOf(step.kind));
  switch (step.kind) {
    case 'latest_holder_commitment':
      writeHolderCommitment(w, step.commitment);
      break;
    case 'latest_counterparty_commitment':
      writeCounterpartyCommitment(w, step.commitment);
      break;
    case 'payment_preimage':
      w.fixed(step.preimage, 32, 'preimage');
      break;
    case 'commitment_secret':
      w.u64(step.commitmentNumber);
      w.fixed(step.secret, 32, 'secret');
      break;
    case 'channel_force_closed':
      w.u8(step.shouldBroadcast ? 1 : 0);
      break;
    case 'shutdown_script':
      w.u16Bytes(step.script, 'shutdown script');
      break;
  }
}

function readStep(r: Reader): ChannelMonitorUpdateStep {
  const kind = STEP_KINDS[r.u8('step kind')];
  switch (kind) {
    case 'latest_holder_commitment':
      return { kind, commitment: readHolderCommitment(r) };
    case 'latest_counterparty_commitment':
      return { kind, commitment: readCounterpartyCommitment(r) };
    case 'payment_preimage':
      return { kind, preimage: r.bytes(32, 'preimage').slice() };
    case 'commitment_secret':
      return { kind, commitmentNumber: r.u64('commitment number'), secret: r.bytes(32, 'secret').slice() };
    case 'channel_force_closed':
      return { kind, shouldBroadcast: readBool(r, 'should broadcast') };
    case 'shutdown_script':
      return { kind, script: r.u16Bytes('shutdown script').slice() };
    default:
      throw new ChainDataError('malformed', 'unknown update step kind');
  }
}

function writeParameters(w: Writer, p: ChannelParameters): void {
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

function readParameters(r: Reader): ChannelParameters {
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
  if (format === undefined) throw new ChainDataError('malformed', 'unknown commitment format');
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

function writeBasepoints(w: Writer, b: ChannelBasepoints): void {
  w.fixed(b.fundingPubkey, 33, 'funding pubkey');
  w.fixed(b.revocationBasepoint, 33, 'revocation basepoint');
  w.fixed(b.paymentBasepoint, 33, 'payment basepoint');
  w.fixed(b.delayedPaymentBasepoint, 33, 'delayed payment basepoint');
  w.fixed(b.htlcBasepoint, 33, 'htlc basepoint');
}

function readBasepoints(r: Reader): ChannelBasepoints {
  return {
    fundingPubkey: readPoint(r, 'funding pubkey').slice(),
    revocationBasepoint: readPoint(r, 'revocation basepoint').slice(),
    paymentBasepoint: readPoint(r, 'payment basepoint').slice(),
    delayedPaymentBasepoint: readPoint(r, 'delayed payment basepoint').slice(),
    htlcBasepoint: readPoint(r, 'htlc basepoint').slice(),
  };
}

function writeOutPoint(w: Writer, o: OutPoint): void {
  w.fixed(o.txid, 32, 'txid');
  w.u32(o.index);
}

function readOutPoint(r: Reader): OutPoint {
  return { txid: txid(r.bytes(32, 'txid').slice()) as Txid, index: r.u32('output index') };
}

function writeCommitmentData(w: Writer, d: MonitorCommitmentData): void {
  w.u64(d.commitmentNumber);
  w.fixed(d.perCommitmentPoint, 33, 'per-commitment point');
  w.u32(d.feeratePerKw);
  w.u64(d.toBroadcasterMsat);
  w.u64(d.toCountersignatoryMsat);
  if (d.htlcs.length > MAX_HTLCS) throw new ChainDataError('malformed', `more than ${MAX_HTLCS} HTLCs`);
  w.u16(d.htlcs.length);
  for (const h of d.htlcs) {
    w.u8((h.offered ? 1 : 0) | (h.source === undefined ? 0 : 2));
    w.u64(h.htlcId);
    w.u64(h.amountMsat);
    w.u32(h.cltvExpiry);
    w.fixed(h.paymentHash, 32, 'payment hash');
    if (h.source !== undefined) w.u16Bytes(h.source, 'htlc source');
  }
}

function readCommitmentData(r: Reader): MonitorCommitmentData {
  const commitmentNumber = r.u64('commitment number');
  const perCommitmentPoint = readPoint(r, 'per-commitment point').slice();
  const feeratePerKw = r.u32('feerate');
  const toBroadcasterMsat = r.u64('to broadcaster');
  const toCountersignatoryMsat = r.u64('to countersignatory');
  const count = r.u16('htlc count');
  if (count > MAX_HTLCS) throw new ChainDataError('malformed', `more than ${MAX_HTLCS} HTLCs`);
  const htlcs: MonitorHtlc[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.u8('htlc flags');
    if (flags > 3) throw new ChainDataError('malformed', 'unknown htlc flags');
    const htlcId = r.u64('htlc id');
    const amountMsat = r.u64('htlc amount');
    const cltvExpiry = r.u32('cltv expiry');
    const paymentHash = r.bytes(32, 'payment hash').slice();
    const source = (flags & 2) !== 0 ? r.u16Bytes('htlc source').slice() : undefined;
    htlcs.push({ offered: (flags & 1) !== 0, htlcId, amountMsat, cltvExpiry, paymentHash, ...(source === undefined ? {} : { source }) });
  }
  return { commitmentNumber, perCommitmentPoint, feeratePerKw, toBroadcasterMsat, toCountersignatoryMsat, htlcs };
}

function writeHolderCommitment(w: Writer, c: HolderCommitment): void {
  writeCommitmentData(w, c.data);
  w.fixed(c.counterpartySignature, 64, 'counterparty signature');
  w.u16(c.htlcSignatures.length);
  for (const s of c.htlcSignatures) w.fixed(s, 64, 'htlc signature');
}

function readHolderCommitment(r: Reader): HolderCommitment {
  const data = readCommitmentData(r);
  const counterpartySignature = r.bytes(64, 'counterparty signature').slice();
  const count = r.u16('htlc signature count');
  if (count > data.htlcs.length) throw new ChainDataError('malformed', 'more HTLC signatures than HTLCs');
  const htlcSignatures: Uint8Array[] = [];
  for (let i = 0; i < count; i++) htlcSignatures.push(r.bytes(64, 'htlc signature').slice());
  return { data, counterpartySignature, htlcSignatures };
}

function writeCounterpartyCommitment(w: Writer, c: CounterpartyCommitment): void {
  writeCommitmentData(w, c.data);
  w.fixed(c.txid, 32, 'commitment txid');
}

function readCounterpartyCommitment(r: Reader): CounterpartyCommitment {
  const data = readCommitmentData(r);
  return { data, txid: txid(r.bytes(32, 'commitment txid').slice()) };
}

function writeOptionalBytes(w: Writer, b: Uint8Array | undefined): void {
  w.u8(b === undefined ? 0 : 1);
  if (b !== undefined) w.u16Bytes(b);
}

function readOptionalBytes(r: Reader): Uint8Array | undefined {
  return readBool(r, 'presence') ? r.u16Bytes().slice() : undefined;
}

function writeOptionalFixed(w: Writer, b: Uint8Array | undefined, length: number): void {
  w.u8(b === undefined ? 0 : 1);
  if (b !== undefined) w.fixed(b, length, 'bytes');
}

function readOptionalFixed(r: Reader, length: number): Uint8Array | undefined {
  return readBool(r, 'presence') ? r.bytes(length).slice() : undefined;
}

function readBool(r: Reader, what: string): boolean {
  const v = r.u8(what);
  if (v > 1) throw new ChainDataError('malformed', `${what}: not a boolean`);
  return v === 1;
}

function header(tag: number): Writer {
  return new Writer(512).u8(tag).u8(VERSION);
}

function read<T>(bytes: Uint8Array, tag: number, body: (r: Reader) => T): T {
  const r = new Reader(bytes);
  try {
    if (r.u8('tag') !== tag) throw new ChainDataError('malformed', 'not the expected kind of record');
    const version = r.u8('version');
    if (version !== VERSION) throw new ChainDataError('unsupported_version', `version ${version} (this reader knows ${VERSION})`);
    const value = body(r);
    if (!r.atEnd) throw new ChainDataError('malformed', 'trailing bytes');
    return value;
  } catch (cause) {
    if (cause instanceof ChainDataError) throw cause;
    throw new ChainDataError('malformed', cause instanceof Error ? cause.message : 'malformed record', { cause });
  }
}

function guard<T>(write: () => T): T {
  try {
    return write();
  } catch (cause) {
    if (cause instanceof ChainDataError) throw cause;
    if (cause instanceof WireError) throw new ChainDataError('malformed', cause.message, { cause });
    throw cause;
  }
}
