import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import type { parseShortChannelId} from 'ln-types';
import { fromHex, toHex, formatShortChannelId } from 'ln-types';
import {
  Reader,
  Writer,
  WireError,
  defineTlvStream,
  readTlvRecords,
  writeTlvRecords,
  tlvField,
  tu64Record,
  tu32Record,
  u16Record,
  shortChannelIdRecord,
  readPoint,
  type TlvRecord,
} from '../src/index.js';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/bolt01-tlv.json', import.meta.url), 'utf8')) as {
  groups: { group: string; namespace: string; expect: 'failure' | 'success'; vectors: { stream: string; reason?: string; record?: string; fields?: Record<string, unknown> }[] }[];
};

// The two test namespaces of BOLT 1 Appendix B.
const n1 = defineTlvStream({
  tlv1: tu64Record(1),
  tlv2: shortChannelIdRecord(2),
  tlv3: tlvField(
    3,
    (r) => ({ nodeId: readPoint(r, 'node_id'), amountMsat1: r.u64(), amountMsat2: r.u64() }),
    (v, w) => w.fixed(v.nodeId, 33, 'node_id').u64(v.amountMsat1).u64(v.amountMsat2),
  ),
  tlv4: u16Record(254),
});
const n2 = defineTlvStream({ tlv1: tu64Record(0), tlv2: tu32Record(11) });
const namespaces = { n1, n2 } as const;

function decode(ns: 'n1' | 'n2', hex: string) {
  return namespaces[ns].decode(new Reader(fromHex(hex)));
}

function encode(ns: 'n1' | 'n2', value: ReturnType<typeof decode>): string {
  const w = new Writer();
  (namespaces[ns] as typeof n1).encode(value as ReturnType<typeof n1.decode>, w);
  return toHex(w.finish());
}

describe('TLV (BOLT 1 Appendix B)', () => {
  for (const group of vectors.groups) {
    const targets: ('n1' | 'n2')[] = group.namespace === 'n1' ? ['n1'] : group.namespace === 'n2' ? ['n2'] : ['n1', 'n2'];
    for (const ns of targets) {
      it.each(group.vectors.map((v) => [v.stream, v] as const))(`${group.group} in ${ns}: %s`, (_s, v) => {
        if (group.expect === 'failure') {
          expect(() => decode(ns, v.stream)).toThrow(WireError);
          return;
        }
        const value = decode(ns, v.stream);
        // Every successful decode re-encodes to the same bytes (unknown odd records preserved).
        expect(encode(ns, value)).toBe(v.stream);
        if (v.record === undefined) return;
        const got = (value as Record<string, unknown>)[v.record];
        const fields = v.fields!;
        if (v.record === 'tlv1') expect(got).toBe(BigInt(fields.amount_msat as string));
        if (v.record === 'tlv2') {
          expect(formatShortChannelId(got as ReturnType<typeof parseShortChannelId>)).toBe(fields.scid);
        }
        if (v.record === 'tlv3') {
          const t = got as { nodeId: Uint8Array; amountMsat1: bigint; amountMsat2: bigint };
          expect(toHex(t.nodeId)).toBe(fields.node_id);
          expect(t.amountMsat1).toBe(BigInt(fields.amount_msat_1 as string));
          expect(t.amountMsat2).toBe(BigInt(fields.amount_msat_2 as string));
        }
        if (v.record === 'tlv4') expect(got).toBe(fields.cltv_delta);
      });
    }
  }

  it('stream rules: appending an invalid stream to a valid one fails; a higher valid stream after a lower one decodes', () => {
    const ok = vectors.groups.find((g) => g.group === 'decoding_successes_n1')!.vectors.map((v) => v.stream);
    const bad = vectors.groups.filter((g) => g.expect === 'failure' && g.namespace !== 'n2').flatMap((g) => g.vectors.map((v) => v.stream));
    for (const a of ok) {
      for (const b of bad) expect(() => decode('n1', a + b)).toThrow(WireError);
      for (const b of ok) {
        const ta = readTlvRecords(new Reader(fromHex(a)))[0]!.type;
        const tb = readTlvRecords(new Reader(fromHex(b)))[0]!.type;
        if (tb > ta) expect(() => decode('n1', a + b)).not.toThrow();
        else expect(() => decode('n1', a + b)).toThrow(WireError);
      }
    }
  });

  it('raw records round-trip for any increasing types', () => {
    const records = fc
      .uniqueArray(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 8 })
      .chain((types) => fc.tuple(...types.sort((a, b) => (a < b ? -1 : 1)).map((type) => fc.uint8Array({ maxLength: 40 }).map((value): TlvRecord => ({ type, value })))));
    fc.assert(
      fc.property(records, (recs) => {
        const w = new Writer();
        writeTlvRecords(w, recs);
        expect(readTlvRecords(new Reader(w.finish()))).toEqual(recs);
      }),
    );
  });

  it('typed streams round-trip with unknown odd records in between', () => {
    const value = fc.record(
      {
        tlv1: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        tlv4: fc.integer({ min: 0, max: 65535 }),
        unknown: fc.uniqueArray(fc.integer({ min: 0, max: 200 }).map((n) => BigInt(n * 2 + 5)), { minLength: 1, maxLength: 4 }).map((types) =>
          types.filter((t) => t !== 1n && t !== 3n).sort((a, b) => (a < b ? -1 : 1)).map((type) => ({ type, value: Uint8Array.of(Number(type & 0xffn)) })),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(value, (v) => {
        const w = new Writer();
        const { unknown, ...known } = v;
        const clean: ReturnType<typeof n1.decode> = unknown === undefined || unknown.length === 0 ? known : { ...known, unknown };
        n1.encode(clean, w);
        expect(n1.decode(new Reader(w.finish()))).toEqual(clean);
      }),
    );
  });

  it('never throws anything but WireError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const ns of ['n1', 'n2'] as const) {
          try {
            decode(ns, toHex(bytes));
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
