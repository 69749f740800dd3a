// The BOLT examples that name BOLT 2 message fields: Appendix G of BOLT 3 (dual funding)
// and the splicing flows of BOLT 2. Neither gives encoded hex, so the tests build the
// messages from the named fields and check the exact layout and the field names.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fromHex, toHex, type ChannelId, type Txid } from 'ln-types';
import { decodeMessage, encodeMessage, type Message, type MessageOf } from '../src/index.js';
import { bolt2Messages } from './arbitraries.js';

const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

interface DualFunding {
  expected_tx_add_input: Record<'opener' | 'accepter', { tx_add_input: { serial_id: number; prevtx_len: number; prevtx: string; prev_vout: number; sequence: number }[] }>;
  expected_tx_add_output: Record<'opener' | 'accepter', { tx_add_output: { serial_id: number; sats: number; scriptlen: number; script: string }[] }>;
  expected_tx_signatures: Record<'opener' | 'accepter', { txid: string; num_witnesses: number; witnesses: { len: number; witness_data: string }[] }>;
}

const u64 = (v: number | bigint) => BigInt(v).toString(16).padStart(16, '0');
const u32 = (v: number) => v.toString(16).padStart(8, '0');
const u16 = (v: number) => v.toString(16).padStart(4, '0');

// The spec writes the channel id as the placeholder "xxx".
const cid = new Uint8Array(32).fill(0x11) as ChannelId;
const cidHex = toHex(cid);

describe('BOLT 3 Appendix G (dual-funded transaction) messages', () => {
  const v = load<DualFunding>('bolt03-dual-funding.json');

  it.each(['opener', 'accepter'] as const)('tx_add_input of the %s', (side) => {
    for (const input of v.expected_tx_add_input[side].tx_add_input) {
      const prevtx = fromHex(input.prevtx);
      expect(prevtx.length).toBe(input.prevtx_len);
      const m: MessageOf<'tx_add_input'> = { type: 'tx_add_input', channelId: cid, serialId: BigInt(input.serial_id), prevtx, prevtxVout: input.prev_vout, sequence: input.sequence };
      const bytes = encodeMessage(m);
      expect(toHex(bytes)).toBe('0042' + cidHex + u64(input.serial_id) + u16(input.prevtx_len) + input.prevtx + u32(input.prev_vout) + u32(input.sequence));
      expect(decodeMessage(bytes)).toEqual(m);
    }
  });

  it.each(['opener', 'accepter'] as const)('tx_add_output of the %s', (side) => {
    for (const output of v.expected_tx_add_output[side].tx_add_output) {
      // The spec's script hex repeats its length byte in front (recorded in the fixture's anomalies).
      const raw = fromHex(output.script);
      const script = raw.length === output.scriptlen + 1 && raw[0] === output.scriptlen ? raw.subarray(1) : raw;
      expect(script.length).toBe(output.scriptlen);
      const m: MessageOf<'tx_add_output'> = { type: 'tx_add_output', channelId: cid, serialId: BigInt(output.serial_id), sats: BigInt(output.sats), script };
      const bytes = encodeMessage(m);
      expect(toHex(bytes)).toBe('0043' + cidHex + u64(output.serial_id) + u64(output.sats) + u16(output.scriptlen) + toHex(script));
      expect(decodeMessage(bytes)).toEqual(m);
    }
  });

  it.each(['opener', 'accepter'] as const)('tx_signatures of the %s', (side) => {
    const s = v.expected_tx_signatures[side];
    const witnesses = s.witnesses.map((w) => fromHex(w.witness_data));
    expect(witnesses.map((w) => w.length)).toEqual(s.witnesses.map((w) => w.len));
    const m: MessageOf<'tx_signatures'> = { type: 'tx_signatures', channelId: cid, txid: fromHex(s.txid) as Txid, witnesses };
    const bytes = encodeMessage(m);
    expect(toHex(bytes)).toBe('0047' + cidHex + s.txid + u16(s.num_witnesses) + s.witnesses.map((w) => u16(w.len) + w.witness_data).join(''));
    expect(decodeMessage(bytes)).toEqual(m);
  });
});

interface Flows {
  scenarios: { name: string; messages: { message: string; from: string; to: string; annotation?: string }[] }[];
}

/** Where each field the flows annotate lives in our messages (`commit_sig` is the diagrams' name for commitment_signed). */
const FIELD_PATHS: Record<string, Record<string, string[]>> = {
  commitment_signed: { funding_txid: ['tlvs', 'fundingTxid'], commitment_number: [] },
  start_batch: { batch_size: ['batchSize'] },
  splice_locked: { splice_txid: ['spliceTxid'] },
  channel_reestablish: {
    next_funding_txid: ['tlvs', 'nextFunding', 'txid'],
    my_current_funding_locked: ['tlvs', 'myCurrentFundingLocked', 'txid'],
    next_commitment_number: ['nextCommitmentNumber'],
    next_revocation_number: ['nextRevocationNumber'],
  },
};
const MESSAGE_NAMES: Record<string, string> = { commit_sig: 'commitment_signed' };

const at = (m: unknown, path: string[]): unknown => path.reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], m);

const samples = new Map<string, Message>();

/** A sample message of `name` in which every annotated field is present. */
function fullSample(name: string): Message {
  const cached = samples.get(name);
  if (cached !== undefined) return cached;
  const paths = Object.values(FIELD_PATHS[name] ?? {});
  const found = fc.sample(bolt2Messages[name]!, { numRuns: 2000, seed: 42 }).find((m) => paths.every((p) => p.length === 0 || at(m, p) !== undefined));
  if (found === undefined) throw new Error(`no sample of ${name} carries every annotated field`);
  samples.set(name, found);
  return found;
}

describe('BOLT 2 splicing flows', () => {
  const flows = load<Flows>('bolt02-splicing-flows.json');
  const events = flows.scenarios.flatMap((s) => s.messages.map((e) => ({ scenario: s.name, ...e })));

  it('every message of every flow is one we encode and decode', () => {
    expect(events.length).toBeGreaterThan(200);
    for (const e of events) {
      if (e.message === '<interactive-tx>') continue;
      const name = MESSAGE_NAMES[e.message] ?? e.message;
      expect(Object.keys(bolt2Messages)).toContain(name);
      const m = fc.sample(bolt2Messages[name]!, { numRuns: 1, seed: e.scenario.length })[0]!;
      expect(decodeMessage(encodeMessage(m))).toEqual(m);
    }
  });

  it('every field the flows name is a field of that message', () => {
    const seen = new Set<string>();
    for (const e of events) {
      const name = MESSAGE_NAMES[e.message] ?? e.message;
      for (const [, field] of (e.annotation ?? '').matchAll(/([a-z_]+)\s*=/g)) {
        const path = FIELD_PATHS[name]?.[field!];
        expect(path).toBeDefined();
        seen.add(`${name}.${field}`);
        // commitment_number is the sender's local counter, not a wire field.
        if (path!.length === 0) continue;
        const sample = fullSample(name);
        expect(at(sample, path!)).toBeDefined();
        expect(at(decodeMessage(encodeMessage(sample)), path!)).toEqual(at(sample, path!));
      }
    }
    expect([...seen].sort()).toEqual([
      'channel_reestablish.my_current_funding_locked',
      'channel_reestablish.next_commitment_number',
      'channel_reestablish.next_funding_txid',
      'channel_reestablish.next_revocation_number',
      'commitment_signed.commitment_number',
      'commitment_signed.funding_txid',
      'splice_locked.splice_txid',
      'start_batch.batch_size',
    ]);
  });
});

interface Attribution {
  forwarding: { node: number; error_packet: string; attribution_data: string }[];
  success_attribution_data: { node: number; attribution_data: string }[];
}

describe('BOLT 4 attributable failures: the values update_fail_htlc and update_fulfill_htlc carry', () => {
  const v = load<Attribution>('bolt04-attributable-errors.json');
  const u32s = (hex: string) => Array.from({ length: 20 }, (_, i) => parseInt(hex.slice(i * 8, i * 8 + 8), 16));

  it.each(v.forwarding.map((f) => [f.node, f] as const))('update_fail_htlc from node %i', (_node, f) => {
    const bytes = fromHex('0083' + cidHex + u64(3) + u16(f.error_packet.length / 2) + f.error_packet + '01fd0398' + f.attribution_data);
    const m = decodeMessage(bytes) as MessageOf<'update_fail_htlc'>;
    expect(m.type).toBe('update_fail_htlc');
    expect(toHex(m.reason)).toBe(f.error_packet);
    expect(m.tlvs?.attributionData?.htlcHoldTimes).toEqual(u32s(f.attribution_data));
    expect(toHex(m.tlvs!.attributionData!.truncatedHmacs)).toBe(f.attribution_data.slice(160));
    expect(encodeMessage(m)).toEqual(bytes);
  });

  it.each(v.success_attribution_data.map((s) => [s.node, s] as const))('update_fulfill_htlc from node %i', (_node, s) => {
    const bytes = fromHex('0082' + cidHex + u64(3) + '22'.repeat(32) + '01fd0398' + s.attribution_data);
    const m = decodeMessage(bytes) as MessageOf<'update_fulfill_htlc'>;
    expect(m.tlvs?.attributionData?.htlcHoldTimes).toEqual(u32s(s.attribution_data));
    expect(toHex(m.tlvs!.attributionData!.truncatedHmacs)).toBe(s.attribution_data.slice(160));
    expect(encodeMessage(m)).toEqual(bytes);
  });
});
