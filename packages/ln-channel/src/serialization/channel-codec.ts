// A funded channel's state as bytes. HTLCs are written once in a table and
// referred to by index (the same HTLC sits in several specs and change lists,
// and its onion alone is 1366 bytes).

import { SHACHAIN_STORE_LENGTH } from 'ln-tx';
import { type ChannelId, type NodeId, type Txid, outPoint } from 'ln-types';
import type { ChannelBasepoints } from 'ln-tx';
import { ChannelError } from '../errors.js';
import type { ChannelConfig } from '../config.js';
import type {
  ChannelParams,
  ChannelState,
  ClosingNegotiation,
  CommitmentSpec,
  FundedStatus,
  HoldingCellUpdate,
  Htlc,
  LocalChanges,
  RemoteChanges,
  SideParams,
  Update,
} from '../channel/types.js';
import { Reader, Writer, readBool, readList, readOpt, readU128, readVarBytes, writeBool, writeList, writeOpt, writeU128, writeVarBytes } from './primitives.js';

const CHANNEL_VERSION = 1;
const STATUSES: readonly FundedStatus[] = ['awaiting_channel_ready', 'ready', 'shutting_down', 'negotiating_closing', 'closed'];

/** Collects every Htlc object a state refers to. */
function htlcTable(s: ChannelState): Map<Htlc, number> {
  const table = new Map<Htlc, number>();
  const add = (h: Htlc) => {
    if (!table.has(h)) table.set(h, table.size);
  };
  const specs = [s.localCommit.spec, s.remoteCommit.spec, ...(s.nextRemoteCommit ? [s.nextRemoteCommit.spec] : [])];
  for (const spec of specs) for (const d of spec.htlcs) add(d.htlc);
  for (const list of [s.localChanges.proposed, s.localChanges.signed, s.localChanges.acked, s.remoteChanges.proposed, s.remoteChanges.acked, s.remoteChanges.signed]) {
    for (const u of list) if (u.kind === 'add') add(u.htlc);
  }
  return table;
}

function writeHtlc(w: Writer, h: Htlc): void {
  w.u64(h.id).u64(h.amountMsat).fixed(h.paymentHash, 32, 'payment_hash').u32(h.cltvExpiry).u16Bytes(h.onion, 'onion');
  writeOpt(w, h.blindingPoint, (w2, v) => w2.fixed(v, 33, 'blinding'));
  writeOpt(w, h.source, (w2, v) => w2.u16Bytes(v, 'source'));
}

function readHtlc(r: Reader): Htlc {
  const id = r.u64();
  const amountMsat = r.u64();
  const paymentHash = r.bytes(32).slice();
  const cltvExpiry = r.u32();
  const onion = r.u16Bytes('onion').slice();
  const blindingPoint = readOpt(r, 'blinding', (r2) => r2.bytes(33).slice());
  const source = readOpt(r, 'source', (r2) => r2.u16Bytes('source').slice());
  return { id, amountMsat, paymentHash, cltvExpiry, onion, ...(blindingPoint !== undefined && { blindingPoint }), ...(source !== undefined && { source }) };
}

function writeSpec(w: Writer, s: CommitmentSpec, table: Map<Htlc, number>): void {
  w.u32(s.feeratePerKw).u64(s.toLocalMsat).u64(s.toRemoteMsat);
  writeList(w, s.htlcs, (w2, d) => w2.u8(d.direction === 'in' ? 0 : 1).u32(table.get(d.htlc)!));
}

function readSpec(r: Reader, table: readonly Htlc[]): CommitmentSpec {
  const feeratePerKw = r.u32();
  const toLocalMsat = r.u64();
  const toRemoteMsat = r.u64();
  const htlcs = readList(r, 'spec htlcs', (r2) => {
    const dir = r2.u8();
    if (dir > 1) throw new ChannelError('invalid_data', 'bad HTLC direction');
    return { direction: dir === 0 ? ('in' as const) : ('out' as const), htlc: htlcRef(r2, table) };
  });
  return { htlcs, toLocalMsat, toRemoteMsat, feeratePerKw };
}

function htlcRef(r: Reader, table: readonly Htlc[]): Htlc {
  const i = r.u32();
  const h = table[i];
  if (h === undefined) throw new ChannelError('invalid_data', `HTLC reference ${i} out of range`);
  return h;
}

function writeUpdate(w: Writer, u: Update, table: Map<Htlc, number>): void {
  switch (u.kind) {
    case 'add':
      w.u8(0).u32(table.get(u.htlc)!);
      return;
    case 'fulfill':
      w.u8(1).u64(u.id).fixed(u.preimage, 32, 'preimage');
      writeOpt(w, u.attribution, writeVarBytes);
      return;
    case 'fail':
      w.u8(2).u64(u.id);
      writeVarBytes(w, u.reason);
      writeOpt(w, u.attribution, writeVarBytes);
      return;
    case 'fail_malformed':
      w.u8(3).u64(u.id).fixed(u.sha256OfOnion, 32, 'sha256').u16(u.failureCode);
      return;
    case 'fee':
      w.u8(4).u32(u.feeratePerKw);
      return;
  }
}

function readUpdate(r: Reader, table: readonly Htlc[]): Update {
  const k = r.u8();
  switch (k) {
    case 0:
      return { kind: 'add', htlc: htlcRef(r, table) };
    case 1: {
      const id = r.u64();
      const preimage = r.bytes(32).slice();
      const attribution = readOpt(r, 'attribution', (r2) => readVarBytes(r2, 'attribution'));
      return { kind: 'fulfill', id, preimage, ...(attribution !== undefined && { attribution }) };
    }
    case 2: {
      const id = r.u64();
      const reason = readVarBytes(r, 'reason');
      const attribution = readOpt(r, 'attribution', (r2) => readVarBytes(r2, 'attribution'));
      return { kind: 'fail', id, reason, ...(attribution !== undefined && { attribution }) };
    }
    case 3:
      return { kind: 'fail_malformed', id: r.u64(), sha256OfOnion: r.bytes(32).slice(), failureCode: r.u16() };
    case 4:
      return { kind: 'fee', feeratePerKw: r.u32() };
    default:
      throw new ChannelError('invalid_data', `unknown update kind ${k}`);
  }
}

function writeHolding(w: Writer, u: HoldingCellUpdate): void {
  switch (u.kind) {
    case 'add':
      w.u8(0).u64(u.amountMsat).fixed(u.paymentHash, 32, 'hash').u32(u.cltvExpiry).u16Bytes(u.onion, 'onion');
      writeOpt(w, u.blindingPoint, (w2, v) => w2.fixed(v, 33, 'blinding'));
      w.u16Bytes(u.source, 'source');
      return;
    case 'fulfill':
      w.u8(1).u64(u.id).fixed(u.preimage, 32, 'preimage');
      writeOpt(w, u.attribution, writeVarBytes);
      return;
    case 'fail':
      w.u8(2).u64(u.id);
      writeVarBytes(w, u.reason);
      writeOpt(w, u.attribution, writeVarBytes);
      return;
    case 'fail_malformed':
      w.u8(3).u64(u.id).fixed(u.sha256OfOnion, 32, 'sha256').u16(u.failureCode);
      return;
  }
}

function readHolding(r: Reader): HoldingCellUpdate {
  const k = r.u8();
  if (k === 0) {
    const amountMsat = r.u64();
    const paymentHash = r.bytes(32).slice();
    const cltvExpiry = r.u32();
    const onion = r.u16Bytes('onion').slice();
    const blindingPoint = readOpt(r, 'blinding', (r2) => r2.bytes(33).slice());
    const source = r.u16Bytes('source').slice();
    return { kind: 'add', amountMsat, paymentHash, cltvExpiry, onion, ...(blindingPoint !== undefined && { blindingPoint }), source };
  }
  if (k < 1 || k > 3) throw new ChannelError('invalid_data', `unknown holding cell kind ${k}`);
  const id = r.u64();
  if (k === 1) {
    const preimage = r.bytes(32).slice();
    const attribution = readOpt(r, 'attribution', (r2) => readVarBytes(r2, 'attribution'));
    return { kind: 'fulfill', id, preimage, ...(attribution !== undefined && { attribution }) };
  }
  if (k === 2) {
    const reason = readVarBytes(r, 'reason');
    const attribution = readOpt(r, 'attribution', (r2) => readVarBytes(r2, 'attribution'));
    return { kind: 'fail', id, reason, ...(attribution !== undefined && { attribution }) };
  }
  return { kind: 'fail_malformed', id, sha256OfOnion: r.bytes(32).slice(), failureCode: r.u16() };
}

function writeBasepoints(w: Writer, b: ChannelBasepoints): void {
  w.fixed(b.fundingPubkey, 33, 'key').fixed(b.revocationBasepoint, 33, 'key').fixed(b.paymentBasepoint, 33, 'key').fixed(b.delayedPaymentBasepoint, 33, 'key').fixed(b.htlcBasepoint, 33, 'key');
}

function readBasepoints(r: Reader): ChannelBasepoints {
  return {
    fundingPubkey: r.bytes(33).slice(),
    revocationBasepoint: r.bytes(33).slice(),
    paymentBasepoint: r.bytes(33).slice(),
    delayedPaymentBasepoint: r.bytes(33).slice(),
    htlcBasepoint: r.bytes(33).slice(),
  };
}

function writeSide(w: Writer, s: SideParams): void {
  writeBasepoints(w, s.basepoints);
  w.u64(s.dustLimitSat).u64(s.maxHtlcValueInFlightMsat).u64(s.channelReserveSat).u64(s.htlcMinimumMsat).u16(s.toSelfDelay).u16(s.maxAcceptedHtlcs);
  writeOpt(w, s.upfrontShutdownScript, (w2, v) => w2.u16Bytes(v, 'script'));
}

function readSide(r: Reader): SideParams {
  const basepoints = readBasepoints(r);
  const dustLimitSat = r.u64();
  const maxHtlcValueInFlightMsat = r.u64();
  const channelReserveSat = r.u64();
  const htlcMinimumMsat = r.u64();
  const toSelfDelay = r.u16();
  const maxAcceptedHtlcs = r.u16();
  const upfrontShutdownScript = readOpt(r, 'upfront script', (r2) => r2.u16Bytes('script').slice());
  return { basepoints, dustLimitSat, maxHtlcValueInFlightMsat, channelReserveSat, htlcMinimumMsat, toSelfDelay, maxAcceptedHtlcs, ...(upfrontShutdownScript !== undefined && { upfrontShutdownScript }) };
}

function writeParams(w: Writer, p: ChannelParams): void {
  w.fixed(p.channelId, 32, 'channel_id').fixed(p.temporaryChannelId, 32, 'temporary_channel_id').fixed(p.counterpartyNodeId, 33, 'node_id');
  writeU128(w, p.userChannelId);
  w.fixed(p.channelKeysId, 32, 'keys_id');
  writeBool(w, p.isOutbound);
  w.u64(p.channelValueSat).fixed(p.fundingOutpoint.txid, 32, 'txid').u32(p.fundingOutpoint.index).u16Bytes(p.channelType, 'channel_type');
  w.u8(p.format === 'anchors' ? 1 : 0);
  writeBool(w, p.announced);
  writeSide(w, p.holder);
  writeSide(w, p.counterparty);
  w.u32(p.minimumDepth).u16Bytes(p.destinationScript, 'destination').u64(p.outboundScidAlias);
}

function readParams(r: Reader): ChannelParams {
  const channelId = r.bytes(32).slice() as ChannelId;
  const temporaryChannelId = r.bytes(32).slice() as ChannelId;
  const counterpartyNodeId = r.bytes(33).slice() as NodeId;
  const userChannelId = readU128(r);
  const channelKeysId = r.bytes(32).slice();
  const isOutbound = readBool(r, 'is_outbound');
  const channelValueSat = r.u64();
  const fundingOutpoint = outPoint(r.bytes(32).slice() as Txid, r.u32());
  const channelType = r.u16Bytes('channel_type').slice();
  const f = r.u8();
  if (f > 1) throw new ChannelError('invalid_data', 'unknown commitment format');
  const announced = readBool(r, 'announced');
  const holder = readSide(r);
  const counterparty = readSide(r);
  return {
    channelId,
    temporaryChannelId,
    counterpartyNodeId,
    userChannelId,
    channelKeysId,
    isOutbound,
    channelValueSat,
    fundingOutpoint,
    channelType,
    format: f === 1 ? 'anchors' : 'static_remotekey',
    announced,
    holder,
    counterparty,
    minimumDepth: r.u32(),
    destinationScript: r.u16Bytes('destination').slice(),
    outboundScidAlias: r.u64(),
  };
}

function writeSigs(w: Writer, sigs: readonly Uint8Array[]): void {
  w.u16(sigs.length);
  for (const s of sigs) w.fixed(s, 64, 'signature');
}

function readSigs(r: Reader): Uint8Array[] {
  const n = r.u16();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.bytes(64).slice());
  return out;
}

function writeConfig(w: Writer, c: ChannelConfig): void {
  w.u32(c.forwardingFeeProportionalMillionths).u32(c.forwardingFeeBaseMsat).u16(c.cltvExpiryDelta);
  if (c.maxDustHtlcExposure.kind === 'fixed_msat') w.u8(0).u64(c.maxDustHtlcExposure.limitMsat);
  else w.u8(1).u64(c.maxDustHtlcExposure.multiplier);
  w.u64(c.forceCloseAvoidanceMaxFeeSatoshis);
  writeBool(w, c.acceptUnderpayingHtlcs);
}

function readConfig(r: Reader): ChannelConfig {
  const forwardingFeeProportionalMillionths = r.u32();
  const forwardingFeeBaseMsat = r.u32();
  const cltvExpiryDelta = r.u16();
  const dk = r.u8();
  const dv = r.u64();
  if (dk > 1) throw new ChannelError('invalid_data', 'unknown dust exposure kind');
  return {
    forwardingFeeProportionalMillionths,
    forwardingFeeBaseMsat,
    cltvExpiryDelta,
    maxDustHtlcExposure: dk === 0 ? { kind: 'fixed_msat', limitMsat: dv } : { kind: 'feerate_multiplier', multiplier: dv },
    forceCloseAvoidanceMaxFeeSatoshis: r.u64(),
    acceptUnderpayingHtlcs: readBool(r, 'accept_underpaying'),
  };
}

function writeChanges(w: Writer, lists: readonly (readonly Update[])[], table: Map<Htlc, number>): void {
  for (const l of lists) writeList(w, l, (w2, u) => writeUpdate(w2, u, table));
}

/** Encodes a channel's state. */
export function encodeChannelState(s: ChannelState): Uint8Array {
  const w = new Writer(4096).u8(CHANNEL_VERSION);
  const table = htlcTable(s);
  writeParams(w, s.params);
  writeList(w, [...table.keys()], writeHtlc);
  w.u8(STATUSES.indexOf(s.status));
  w.u64(s.localCommit.number);
  writeSpec(w, s.localCommit.spec, table);
  w.fixed(s.localCommit.signature, 64, 'signature');
  writeSigs(w, s.localCommit.htlcSignatures);
  w.u64(s.remoteCommit.number);
  writeSpec(w, s.remoteCommit.spec, table);
  w.fixed(s.remoteCommit.txid, 32, 'txid').fixed(s.remoteCommit.point, 33, 'point');
  writeOpt(w, s.nextRemoteCommit, (w2, n) => {
    w2.u64(n.number);
    writeSpec(w2, n.spec, table);
    w2.fixed(n.txid, 32, 'txid').fixed(n.point, 33, 'point').fixed(n.signature, 64, 'signature');
    writeSigs(w2, n.htlcSignatures);
  });
  w.fixed(s.remoteNextPoint, 33, 'point').fixed(s.remoteSecrets, SHACHAIN_STORE_LENGTH, 'secrets');
  writeChanges(w, [s.localChanges.proposed, s.localChanges.signed, s.localChanges.acked], table);
  writeChanges(w, [s.remoteChanges.proposed, s.remoteChanges.acked, s.remoteChanges.signed], table);
  w.u64(s.localNextHtlcId).u64(s.remoteNextHtlcId);
  writeList(w, s.holdingCell, writeHolding);
  writeOpt(w, s.holdingCellFee, (w2, v) => w2.u32(v));
  w.u8(s.resendOrder === 'commitment_first' ? 0 : 1).u64(s.latestMonitorUpdateId);
  writeOpt(w, s.fundingConfirmedHeight, (w2, v) => w2.u32(v));
  writeOpt(w, s.fundingTxIndex, (w2, v) => w2.u32(v));
  w.u32(s.fundingWaitStartHeight);
  writeOpt(w, s.shortChannelId, (w2, v) => w2.u64(v));
  writeBool(w, s.channelReadySent);
  writeBool(w, s.channelReadyReceived);
  writeOpt(w, s.counterpartyScidAlias, (w2, v) => w2.u64(v));
  writeBool(w, s.pendingEventEmitted);
  writeBool(w, s.readyEventEmitted);
  writeOpt(w, s.fundingTx, writeVarBytes);
  writeBool(w, s.fundingBroadcast);
  writeOpt(w, s.fundingBatchId, (w2, v) => writeVarBytes(w2, new TextEncoder().encode(v)));
  writeOpt(w, s.localShutdownScript, (w2, v) => w2.u16Bytes(v, 'script'));
  writeBool(w, s.shutdownSent);
  writeOpt(w, s.remoteShutdownScript, (w2, v) => w2.u16Bytes(v, 'script'));
  w.u8(s.shutdownInitiator === undefined ? 0 : s.shutdownInitiator === 'local' ? 1 : 2);
  writeOpt(w, s.targetClosingFeerate, (w2, v) => w2.u32(v));
  writeOpt(w, s.closing, (w2, c) => {
    w2.u64(c.minFeeSat).u64(c.maxFeeSat);
    writeOpt(w2, c.lastSentFeeSat, (w3, v) => w3.u64(v));
    writeOpt(w2, c.lastReceivedFeeSat, (w3, v) => w3.u64(v));
    writeOpt(w2, c.lastReceivedSignature, (w3, v) => w3.fixed(v, 64, 'signature'));
  });
  writeOpt(w, s.closingTx, writeVarBytes);
  writeList(w, s.inboundFailures, (w2, f) => w2.u64(f.id).u16(f.failureCode));
  writeConfig(w, s.config);
  return w.finish().slice();
}

/**
 * Decodes a channel's state.
 * @throws ChannelError `invalid_data` (any reader failure)
 */
export function decodeChannelState(bytes: Uint8Array): ChannelState {
  const r = new Reader(bytes);
  const version = r.u8('version');
  if (version !== CHANNEL_VERSION) throw new ChannelError('invalid_data', `unknown channel state version ${version}`);
  const params = readParams(r);
  const table = readList(r, 'htlc table', readHtlc);
  const st = r.u8();
  const status = STATUSES[st];
  if (status === undefined) throw new ChannelError('invalid_data', `unknown channel status ${st}`);
  const localCommit = { number: r.u64(), spec: readSpec(r, table), signature: r.bytes(64).slice(), htlcSignatures: readSigs(r) };
  const remoteCommit = { number: r.u64(), spec: readSpec(r, table), txid: r.bytes(32).slice() as Txid, point: r.bytes(33).slice() };
  const nextRemoteCommit = readOpt(r, 'next remote commit', (r2) => ({
    number: r2.u64(),
    spec: readSpec(r2, table),
    txid: r2.bytes(32).slice() as Txid,
    point: r2.bytes(33).slice(),
    signature: r2.bytes(64).slice(),
    htlcSignatures: readSigs(r2),
  }));
  const remoteNextPoint = r.bytes(33).slice();
  const remoteSecrets = r.bytes(SHACHAIN_STORE_LENGTH).slice();
  const readUpdates = () => readList(r, 'updates', (r2) => readUpdate(r2, table));
  const localChanges: LocalChanges = { proposed: readUpdates(), signed: readUpdates(), acked: readUpdates() };
  const remoteChanges: RemoteChanges = { proposed: readUpdates(), acked: readUpdates(), signed: readUpdates() };
  const localNextHtlcId = r.u64();
  const remoteNextHtlcId = r.u64();
  const holdingCell = readList(r, 'holding cell', readHolding);
  const holdingCellFee = readOpt(r, 'holding fee', (r2) => r2.u32());
  const ro = r.u8();
  if (ro > 1) throw new ChannelError('invalid_data', 'bad resend order');
  const latestMonitorUpdateId = r.u64();
  const fundingConfirmedHeight = readOpt(r, 'confirmed height', (r2) => r2.u32());
  const fundingTxIndex = readOpt(r, 'tx index', (r2) => r2.u32());
  const fundingWaitStartHeight = r.u32();
  const shortChannelId = readOpt(r, 'scid', (r2) => r2.u64());
  const channelReadySent = readBool(r, 'ready sent');
  const channelReadyReceived = readBool(r, 'ready received');
  const counterpartyScidAlias = readOpt(r, 'alias', (r2) => r2.u64());
  const pendingEventEmitted = readBool(r, 'pending emitted');
  const readyEventEmitted = readBool(r, 'ready emitted');
  const fundingTx = readOpt(r, 'funding tx', (r2) => readVarBytes(r2, 'funding tx'));
  const fundingBroadcast = readBool(r, 'broadcast');
  const fundingBatchId = readOpt(r, 'batch', (r2) => new TextDecoder().decode(readVarBytes(r2, 'batch')));
  const localShutdownScript = readOpt(r, 'local script', (r2) => r2.u16Bytes('script').slice());
  const shutdownSent = readBool(r, 'shutdown sent');
  const remoteShutdownScript = readOpt(r, 'remote script', (r2) => r2.u16Bytes('script').slice());
  const si = r.u8();
  if (si > 2) throw new ChannelError('invalid_data', 'bad shutdown initiator');
  const targetClosingFeerate = readOpt(r, 'target feerate', (r2) => r2.u32());
  const closing = readOpt(r, 'closing', (r2): ClosingNegotiation => {
    const minFeeSat = r2.u64();
    const maxFeeSat = r2.u64();
    const lastSentFeeSat = readOpt(r2, 'sent', (r3) => r3.u64());
    const lastReceivedFeeSat = readOpt(r2, 'received', (r3) => r3.u64());
    const lastReceivedSignature = readOpt(r2, 'sig', (r3) => r3.bytes(64).slice());
    return {
      minFeeSat,
      maxFeeSat,
      ...(lastSentFeeSat !== undefined && { lastSentFeeSat }),
      ...(lastReceivedFeeSat !== undefined && { lastReceivedFeeSat }),
      ...(lastReceivedSignature !== undefined && { lastReceivedSignature }),
    };
  });
  const closingTx = readOpt(r, 'closing tx', (r2) => readVarBytes(r2, 'closing tx'));
  const inboundFailures = readList(r, 'inbound failures', (r2) => ({ id: r2.u64(), failureCode: r2.u16() }));
  const config = readConfig(r);
  r.end('channel state');
  return {
    params,
    status,
    localCommit,
    remoteCommit,
    nextRemoteCommit,
    remoteNextPoint,
    remoteSecrets,
    localChanges,
    remoteChanges,
    localNextHtlcId,
    remoteNextHtlcId,
    holdingCell,
    holdingCellFee,
    resendOrder: ro === 0 ? 'commitment_first' : 'revoke_and_ack_first',
    latestMonitorUpdateId,
    fundingConfirmedHeight,
    fundingTxIndex,
    fundingWaitStartHeight,
    shortChannelId,
    channelReadySent,
    channelReadyReceived,
    counterpartyScidAlias,
    pendingEventEmitted,
    readyEventEmitted,
    fundingTx,
    fundingBroadcast,
    fundingBatchId,
    localShutdownScript,
    shutdownSent,
    remoteShutdownScript,
    shutdownInitiator: si === 0 ? undefined : si === 1 ? 'local' : 'remote',
    targetClosingFeerate,
    closing,
    closingTx,
    inboundFailures,
    config,
  };
}
