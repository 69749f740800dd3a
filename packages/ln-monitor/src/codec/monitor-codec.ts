import { decodeMonitorEvent, encodeMonitorEvent } from 'ln-chain-api';
import { sha256 } from 'ln-crypto';
import { type Txid, blockHash, channelId, fromHex, nodeId, outPointKey, toHex, txid } from 'ln-types';
import { CounterpartySecrets, SHACHAIN_STORE_LENGTH, decodeTx, encodeTx } from 'ln-tx';
import { Reader, Writer } from 'ln-wire';
import { MonitorError } from '../errors.js';
import type { SpendableOutputsEvent } from '../events.js';
import type { ClaimPackage, FundingSpend, FundingSpendKind, HolderCommitmentRecord, MonitorState, PackageKind, TrackedOutput } from '../monitor/state.js';
import {
  readCounterpartyCommitment,
  readHolderCommitment,
  readHtlc,
  readHtlcs,
  readParameters,
  writeCounterpartyCommitment,
  writeHolderCommitment,
  writeHtlc,
  writeHtlcs,
  writeParameters,
} from './commitment-codec.js';
import { readDescriptor, writeDescriptor } from './descriptor-codec.js';
import {
  readBool,
  readCount,
  readOptionalBytes,
  readOptionalFixed,
  readOutPoint,
  readPoint,
  readRecord,
  readVarBytes,
  writeOptionalBytes,
  writeOptionalFixed,
  writeOutPoint,
  writeVarBytes,
} from './primitives.js';

// A ChannelMonitor's whole state as bytes (tag 'M', version 1). Everything the
// monitor decides from is here, so a monitor read back decides as the original
// would; the transactions it had broadcast are rebuilt (signatures are
// deterministic) and bump events re-emitted on the next block.

const TAG = 0x4d;
/** The version this code writes and reads. */
export const MONITOR_SERIALIZATION_VERSION = 1;

const SPEND_KINDS: readonly FundingSpendKind[] = ['holder', 'counterparty', 'revoked', 'cooperative', 'unknown_commitment'];
const OUTPUT_KINDS: readonly TrackedOutput['kind'][] = [
  'revoked_to_local',
  'revoked_htlc',
  'counterparty_htlc',
  'holder_htlc',
  'holder_delayed',
  'static_payment',
  'static_output',
];
const PACKAGE_KINDS: readonly PackageKind[] = ['malleable', 'holder_htlc', 'anchor_htlc', 'holder_commitment'];

function writeHolderRecord(w: Writer, r: HolderCommitmentRecord): void {
  writeHolderCommitment(w, r.commitment);
  w.fixed(r.txid, 32, 'holder commitment txid');
}

function readHolderRecord(r: Reader): HolderCommitmentRecord {
  const commitment = readHolderCommitment(r);
  return { commitment, txid: txid(r.bytes(32, 'holder commitment txid').slice()) };
}

function writeOutput(w: Writer, o: TrackedOutput): void {
  writeOutPoint(w, o.outpoint);
  w.u64(o.amountSat);
  w.u16Bytes(o.script, 'output script');
  w.u32(o.confirmedAt);
  w.u8(OUTPUT_KINDS.indexOf(o.kind));
  switch (o.kind) {
    case 'revoked_to_local':
    case 'holder_delayed':
      w.u64(o.commitmentNumber);
      w.u16Bytes(o.witnessScript, 'witness script');
      break;
    case 'revoked_htlc':
    case 'holder_htlc':
      w.u64(o.commitmentNumber);
      w.u16Bytes(o.witnessScript, 'witness script');
      writeHtlc(w, o.htlc);
      break;
    case 'counterparty_htlc':
      w.u64(o.commitmentNumber);
      w.fixed(o.perCommitmentPoint, 33, 'per-commitment point');
      w.u16Bytes(o.witnessScript, 'witness script');
      writeHtlc(w, o.htlc);
      break;
    case 'static_payment':
      writeOptionalBytes(w, o.witnessScript);
      break;
    case 'static_output':
      break;
  }
  w.u8(o.spentBy === undefined ? 0 : 1);
  if (o.spentBy !== undefined) {
    w.fixed(o.spentBy.txid, 32, 'spending txid');
    w.u32(o.spentBy.height);
    writeOptionalFixed(w, o.spentBy.preimage, 32);
  }
}

function readOutput(r: Reader): TrackedOutput {
  const base = { outpoint: readOutPoint(r), amountSat: r.u64('amount'), script: r.u16Bytes('output script').slice(), confirmedAt: r.u32('confirmed at') };
  const kind = OUTPUT_KINDS[r.u8('output kind')];
  let out: TrackedOutput;
  switch (kind) {
    case 'revoked_to_local':
    case 'holder_delayed':
      out = { ...base, kind, commitmentNumber: r.u64('commitment number'), witnessScript: r.u16Bytes('witness script').slice() };
      break;
    case 'revoked_htlc':
    case 'holder_htlc':
      out = { ...base, kind, commitmentNumber: r.u64('commitment number'), witnessScript: r.u16Bytes('witness script').slice(), htlc: readHtlc(r) };
      break;
    case 'counterparty_htlc':
      out = {
        ...base,
        kind,
        commitmentNumber: r.u64('commitment number'),
        perCommitmentPoint: readPoint(r, 'per-commitment point').slice(),
        witnessScript: r.u16Bytes('witness script').slice(),
        htlc: readHtlc(r),
      };
      break;
    case 'static_payment': {
      const witnessScript = readOptionalBytes(r);
      out = witnessScript === undefined ? { ...base, kind } : { ...base, kind, witnessScript };
      break;
    }
    case 'static_output':
      out = { ...base, kind };
      break;
    default:
      throw new MonitorError('malformed', 'unknown tracked output kind');
  }
  if (readBool(r, 'spent')) {
    const spender = txid(r.bytes(32, 'spending txid').slice());
    const height = r.u32('spent at');
    const preimage = readOptionalFixed(r, 32);
    out.spentBy = preimage === undefined ? { txid: spender, height } : { txid: spender, height, preimage };
  }
  return out;
}

function writeFundingSpend(w: Writer, f: FundingSpend): void {
  w.fixed(f.txid, 32, 'funding spend txid');
  writeVarBytes(w, encodeTx(f.tx));
  w.u32(f.height);
  w.u8(SPEND_KINDS.indexOf(f.kind));
  w.u8(f.commitmentNumber === undefined ? 0 : 1);
  if (f.commitmentNumber !== undefined) w.u64(f.commitmentNumber);
  w.u16(f.sourcesOnChain.length);
  for (const s of f.sourcesOnChain) w.u16Bytes(s, 'source');
  w.u8(f.final ? 1 : 0);
}

function readFundingSpend(r: Reader): FundingSpend {
  const spender = txid(r.bytes(32, 'funding spend txid').slice());
  const tx = decodeTx(readVarBytes(r, 'funding spend'));
  const height = r.u32('funding spend height');
  const kind = SPEND_KINDS[r.u8('funding spend kind')];
  if (kind === undefined) throw new MonitorError('malformed', 'unknown funding spend kind');
  const commitmentNumber = readBool(r, 'has commitment number') ? r.u64('commitment number') : undefined;
  const count = r.u16('source count');
  const sourcesOnChain: Uint8Array[] = [];
  for (let i = 0; i < count; i++) sourcesOnChain.push(r.u16Bytes('source').slice());
  const final = readBool(r, 'final');
  return { txid: spender, tx, height, kind, ...(commitmentNumber === undefined ? {} : { commitmentNumber }), sourcesOnChain, final };
}

function writePackage(w: Writer, p: ClaimPackage): void {
  w.u32(p.id);
  w.u8(PACKAGE_KINDS.indexOf(p.kind));
  w.u16(p.outpoints.length);
  for (const k of p.outpoints) {
    const [hex, index] = k.split(':') as [string, string];
    w.fixed(fromHex(hex), 32, 'package outpoint');
    w.u32(Number(index));
  }
  w.u32(p.feerate);
  w.u32(p.nextBumpHeight);
}

function readPackage(r: Reader): ClaimPackage {
  const id = r.u32('package id');
  const kind = PACKAGE_KINDS[r.u8('package kind')];
  if (kind === undefined) throw new MonitorError('malformed', 'unknown package kind');
  const count = r.u16('package outpoints');
  const outpoints: string[] = [];
  for (let i = 0; i < count; i++) outpoints.push(outPointKey(readOutPoint(r)));
  return { id, kind, outpoints, feerate: r.u32('package feerate'), nextBumpHeight: r.u32('package bump height'), stale: true };
}

function writeSpendableEvent(w: Writer, e: SpendableOutputsEvent): void {
  w.fixed(e.channelId, 32, 'channel id');
  w.fixed(e.counterpartyNodeId, 33, 'counterparty');
  w.u16(e.outputs.length);
  for (const d of e.outputs) writeDescriptor(w, d);
}

function readSpendableEvent(r: Reader): SpendableOutputsEvent {
  const channel = channelId(r.bytes(32, 'channel id').slice());
  const counterparty = nodeId(readPoint(r, 'counterparty').slice());
  const count = r.u16('descriptor count');
  const outputs = [];
  for (let i = 0; i < count; i++) outputs.push(readDescriptor(r));
  return { kind: 'spendable_outputs', channelId: channel, counterpartyNodeId: counterparty, outputs };
}

/** Serializes a monitor's state. */
export function encodeMonitorState(s: MonitorState): Uint8Array {
  try {
    const w = new Writer(4096).u8(TAG).u8(MONITOR_SERIALIZATION_VERSION);
    w.fixed(s.channelId, 32, 'channel id');
    w.fixed(s.counterpartyNodeId, 33, 'counterparty');
    w.u16Bytes(s.channelKeysId, 'channel keys id');
    writeParameters(w, s.parameters);
    w.u16Bytes(s.destinationScript, 'destination script');
    writeOptionalBytes(w, s.shutdownScript);
    w.u64(s.latestUpdateId);
    writeHolderRecord(w, s.holderCurrent);
    w.u8(s.holderPrevious === undefined ? 0 : 1);
    if (s.holderPrevious !== undefined) writeHolderRecord(w, s.holderPrevious);
    writeCounterpartyCommitment(w, s.counterpartyCurrent);
    w.u8(s.counterpartyPrevious === undefined ? 0 : 1);
    if (s.counterpartyPrevious !== undefined) writeCounterpartyCommitment(w, s.counterpartyPrevious);
    w.u32(s.counterpartyPast.size);
    for (const past of s.counterpartyPast.values()) {
      w.fixed(past.txid, 32, 'past commitment txid');
      w.u64(past.commitmentNumber);
      writeHtlcs(w, past.htlcs);
    }
    w.fixed(s.secrets.serialize(), SHACHAIN_STORE_LENGTH, 'secrets');
    w.u32(s.preimages.size);
    for (const p of s.preimages.values()) w.fixed(p, 32, 'preimage');
    w.u8(s.closedByManager ? 1 : 0);
    writeOptionalBytes(w, s.holderBroadcast === undefined ? undefined : new TextEncoder().encode(s.holderBroadcast));
    w.fixed(s.bestBlock.blockHash, 32, 'best block hash');
    w.u32(s.bestBlock.height);
    w.u32(s.finalHeight);
    w.u8(s.fundingSpend === undefined ? 0 : 1);
    if (s.fundingSpend !== undefined) writeFundingSpend(w, s.fundingSpend);
    w.u32(s.outputs.size);
    for (const o of s.outputs.values()) writeOutput(w, o);
    w.u32(s.packages.length);
    for (const p of s.packages) writePackage(w, p);
    w.u32(s.nextPackageId);
    w.u32(s.resolvedSources.size);
    for (const [source, how] of s.resolvedSources) {
      w.u16Bytes(fromHex(source), 'resolved source');
      w.u8(how === 'claimed' ? 1 : 0);
    }
    w.u32(s.reportedCommitments.size);
    for (const t of s.reportedCommitments) w.fixed(fromHex(t), 32, 'reported commitment');
    w.u32(s.pendingMonitorEvents.length);
    for (const e of s.pendingMonitorEvents) writeVarBytes(w, encodeMonitorEvent(e));
    w.u32(s.pendingSpendableEvents.length);
    for (const e of s.pendingSpendableEvents) writeSpendableEvent(w, e);
    return w.finish();
  } catch (cause) {
    if (cause instanceof MonitorError) throw cause;
    throw new MonitorError('malformed', `monitor state cannot be written: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Reads {@link encodeMonitorState}'s bytes.
 * @throws MonitorError `malformed` or `unsupported_version`
 */
export function decodeMonitorState(bytes: Uint8Array): MonitorState {
  return readRecord(new Reader(bytes), TAG, MONITOR_SERIALIZATION_VERSION, 'channel monitor', (r) => {
    const channel = channelId(r.bytes(32, 'channel id').slice());
    const counterparty = nodeId(readPoint(r, 'counterparty').slice());
    const channelKeysId = r.u16Bytes('channel keys id').slice();
    const parameters = readParameters(r);
    const destinationScript = r.u16Bytes('destination script').slice();
    const shutdownScript = readOptionalBytes(r);
    const latestUpdateId = r.u64('latest update id');
    const holderCurrent = readHolderRecord(r);
    const holderPrevious = readBool(r, 'has previous holder') ? readHolderRecord(r) : undefined;
    const counterpartyCurrent = readCounterpartyCommitment(r);
    const counterpartyPrevious = readBool(r, 'has previous counterparty') ? readCounterpartyCommitment(r) : undefined;
    const pastCount = readCount(r, 'past commitments', 42);
    const counterpartyPast = new Map<string, { txid: Txid; commitmentNumber: bigint; htlcs: ReturnType<typeof readHtlcs> }>();
    for (let i = 0; i < pastCount; i++) {
      const t = txid(r.bytes(32, 'past commitment txid').slice());
      counterpartyPast.set(toHex(t), { txid: t, commitmentNumber: r.u64('past commitment number'), htlcs: readHtlcs(r) });
    }
    const secrets = CounterpartySecrets.deserialize(r.bytes(SHACHAIN_STORE_LENGTH, 'secrets').slice());
    const preimageCount = readCount(r, 'preimages', 32);
    const preimages = new Map<string, Uint8Array>();
    for (let i = 0; i < preimageCount; i++) {
      const p = r.bytes(32, 'preimage').slice();
      preimages.set(toHex(sha256(p)), p);
    }
    const closedByManager = readBool(r, 'closed by manager');
    const broadcastReason = readOptionalBytes(r);
    const bestBlock = { blockHash: blockHash(r.bytes(32, 'best block hash').slice()), height: r.u32('best block height') };
    const finalHeight = r.u32('final height');
    const fundingSpend = readBool(r, 'has funding spend') ? readFundingSpend(r) : undefined;
    const outputCount = readCount(r, 'outputs', 50);
    const outputs = new Map<string, TrackedOutput>();
    for (let i = 0; i < outputCount; i++) {
      const o = readOutput(r);
      outputs.set(outPointKey(o.outpoint), o);
    }
    const packageCount = readCount(r, 'packages', 15);
    const packages: ClaimPackage[] = [];
    for (let i = 0; i < packageCount; i++) packages.push(readPackage(r));
    const nextPackageId = r.u32('next package id');
    const resolvedCount = readCount(r, 'resolved sources', 3);
    const resolvedSources = new Map<string, 'claimed' | 'failed'>();
    for (let i = 0; i < resolvedCount; i++) {
      const source = toHex(r.u16Bytes('resolved source'));
      resolvedSources.set(source, readBool(r, 'claimed') ? 'claimed' : 'failed');
    }
    const reportedCount = readCount(r, 'reported commitments', 32);
    const reportedCommitments = new Set<string>();
    for (let i = 0; i < reportedCount; i++) reportedCommitments.add(toHex(r.bytes(32, 'reported commitment')));
    const eventCount = readCount(r, 'monitor events', 2);
    const pendingMonitorEvents = [];
    for (let i = 0; i < eventCount; i++) pendingMonitorEvents.push(decodeMonitorEvent(readVarBytes(r, 'monitor event')));
    const spendableCount = readCount(r, 'spendable events', 67);
    const pendingSpendableEvents: SpendableOutputsEvent[] = [];
    for (let i = 0; i < spendableCount; i++) pendingSpendableEvents.push(readSpendableEvent(r));
    return {
      channelId: channel,
      counterpartyNodeId: counterparty,
      channelKeysId,
      parameters,
      destinationScript,
      ...(shutdownScript === undefined ? {} : { shutdownScript }),
      latestUpdateId,
      holderCurrent,
      ...(holderPrevious === undefined ? {} : { holderPrevious }),
      counterpartyCurrent,
      ...(counterpartyPrevious === undefined ? {} : { counterpartyPrevious }),
      counterpartyPast,
      secrets,
      preimages,
      closedByManager,
      ...(broadcastReason === undefined ? {} : { holderBroadcast: new TextDecoder().decode(broadcastReason) }),
      bestBlock,
      finalHeight,
      ...(fundingSpend === undefined ? {} : { fundingSpend }),
      outputs,
      packages,
      nextPackageId,
      resolvedSources,
      reportedCommitments,
      pendingMonitorEvents,
      pendingSpendableEvents,
    };
  });
}
