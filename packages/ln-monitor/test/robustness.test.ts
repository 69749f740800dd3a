// Bytes from elsewhere: watchtower frames in any chunking (and junk, oversized or
// truncated frames), the sweeper's stored records, coin selection limits. Never
// a crash: typed errors, or the link dropped.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { type Txid, outPoint, txid } from 'ln-types';
import type { Utxo } from 'ln-chain-api';
import { MonitorError, decodeTrackedOutput, encodeTrackedOutput, selectUtxos, type TrackedSpendableOutput } from '../src/index.js';
import { FRAME, FrameDecoder, MAX_FRAME_LENGTH, WatchtowerClient, encodeFrame } from '../src/watchtower/index.js';

const RUNS = process.env.LN_LONG_TESTS === '1' ? 1000 : 150;

describe('watchtower frames', () => {
  it('decode whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 50 })), (frames, cuts) => {
        const bytes = Uint8Array.from(frames.flatMap(([t, p]) => [...encodeFrame(t, p)]));
        const d = new FrameDecoder();
        const got: { type: number; payload: Uint8Array }[] = [];
        let at = 0;
        for (const c of cuts) {
          got.push(...d.push(bytes.subarray(at, at + c)));
          at += c;
        }
        got.push(...d.push(bytes.subarray(at)));
        expect(got.map((f) => [f.type, [...f.payload]])).toEqual(frames.map(([t, p]) => [t, [...p]]));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuse empty and oversized frames', () => {
    expect(() => new FrameDecoder().push(Uint8Array.of(0, 0, 0, 0))).toThrow(MonitorError);
    const big = new Uint8Array(4);
    new DataView(big.buffer).setUint32(0, MAX_FRAME_LENGTH + 1);
    expect(() => new FrameDecoder().push(big)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('a client fed junk by a tower keeps its queue and never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const client = new WatchtowerClient();
        const link = new PassThrough();
        client.connect(link);
        for (const c of chunks) link.emit('data', c);
        // well-formed frames of unknown channels and bad events are ignored too
        link.emit('data', encodeFrame(FRAME.ack, new Uint8Array(40)));
        link.emit('data', encodeFrame(FRAME.event, Uint8Array.of(1, 2, 3)));
        expect(client.releasePendingMonitorEvents()).toEqual([]);
        client.disconnect();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('sweeper records', () => {
  const record: TrackedSpendableOutput = {
    descriptor: { kind: 'static_output', outpoint: outPoint(txid(new Uint8Array(32).fill(3)), 1), output: { script: new Uint8Array(22).fill(1), valueSat: 5000n } },
    status: { kind: 'pending_initial_broadcast', delayedUntilHeight: 77 },
  };

  it('round trip and refuse damaged bytes with a typed error', () => {
    const bytes = encodeTrackedOutput(record);
    expect(decodeTrackedOutput(bytes)).toEqual(record);
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeTrackedOutput(bytes.subarray(0, cut))).toThrow(MonitorError);
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = bytes.slice();
        bad[at] = bad[at]! ^ x;
        try {
          decodeTrackedOutput(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(MonitorError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('coin selection', () => {
  const utxo = (v: bigint, i: number): Utxo => ({ outpoint: outPoint(new Uint8Array(32).fill(i) as Txid, 0), output: { script: new Uint8Array(22), valueSat: v }, satisfactionWeight: 113 });
  it('prefers the outputs a replacement must conflict with, then the largest, and refuses what it cannot pay', () => {
    const coins = [utxo(10_000n, 1), utxo(50_000n, 2), utxo(20_000n, 3)];
    const fee = (w: number) => BigInt(w) * 2n;
    expect(selectUtxos(coins, [], 400, 22, 0n, fee).utxos.map((u) => u.outpoint.txid[0])).toEqual([2]);
    expect(selectUtxos(coins, [coins[0]!], 400, 22, 0n, fee).utxos.map((u) => u.outpoint.txid[0])).toEqual([1]);
    expect(() => selectUtxos(coins, [], 400, 22, 0n, () => 1_000_000n)).toThrow(expect.objectContaining({ code: 'wallet' }));
    expect(() => selectUtxos([], [], 400, 22, 0n, fee)).toThrow(expect.objectContaining({ code: 'wallet' }));
  });
});
