// ln-tx's own transaction and block decoder and transaction encoder, held byte
// for byte to @scure/btc-signer's decoder and encoder (test/scure-reference.ts)
// on random transactions, blocks, every BOLT 3 vector transaction, and mangled
// bytes; and to Bitcoin Core's deserializer where scure accepts more than Core does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sha256d } from 'ln-crypto';
import { type BlockHash, type Txid, concatBytes, fromHex, toHex } from 'ln-types';
import { type BlockHeader, type Tx, TxError, decodeBlock, decodeTx, encodeBlock, encodeTx, encodeTxNoWitness, txidOf, txidOfRaw } from '../src/index.js';
import { decodeTxScure, encodeTxScure, txidScure } from './scure-reference.js';

const LONG = process.env['LN_LONG_TESTS'] === '1';
const RUNS = LONG ? 5000 : 300;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
// Mostly short, sometimes long enough for a 0xfd CompactSize.
const bytesArb = (max: number) => fc.oneof({ arbitrary: fc.uint8Array({ maxLength: max }), weight: 9 }, { arbitrary: fc.uint8Array({ minLength: 250, maxLength: 300 }), weight: 1 });

const inputArb = fc.record(
  {
    previousOutput: fc.record({ txid: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => b as Txid), index: u32 }),
    sequence: u32,
    scriptSig: bytesArb(40),
    witness: fc.array(bytesArb(80), { maxLength: 4 }),
  },
  { requiredKeys: ['previousOutput', 'sequence'] },
);
const outputArb = fc.record({ script: bytesArb(50), amount: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) });
const txArb = (minInputs: number): fc.Arbitrary<Tx> =>
  fc.record({
    version: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    locktime: u32,
    inputs: fc.array(inputArb, { minLength: minInputs, maxLength: 5 }),
    outputs: fc.array(outputArb, { maxLength: 5 }),
  });

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

// Bitcoin Core refuses what scure accepts in one case a test can reach: no
// inputs, then a byte other than 0 (no outputs) or 1 (the BIP 144 marker),
// which Core reads as an unknown flag.
function coreRefusesUnknownFlag(bytes: Uint8Array): boolean {
  return bytes.length > 5 && bytes[4] === 0 && bytes[5]! > 1;
}

/** decodeTx agrees with scure: the same transaction, re-encoded to the same bytes; or a typed refusal Core would also give. */
function expectSameAsScure(bytes: Uint8Array): Outcome<Tx> {
  const ours = attempt(() => decodeTx(bytes));
  const scure = attempt(() => decodeTxScure(bytes));
  if (ours.ok) {
    expect(scure.ok).toBe(true);
    expect(ours.value).toStrictEqual((scure as { value: Tx }).value);
    expect(toHex(encodeTx(ours.value))).toBe(toHex(bytes));
    expect(toHex(encodeTxScure(ours.value))).toBe(toHex(bytes));
  } else {
    expect(ours.error).toBeInstanceOf(TxError);
    expect((ours.error as TxError).code).toBe('invalid_transaction');
    if (scure.ok) expect(coreRefusesUnknownFlag(bytes)).toBe(true);
  }
  return ours;
}

// Mangles bytes: overwrite, insert, delete or cut at random places.
const mangled = (source: fc.Arbitrary<Uint8Array>) =>
  fc
    .tuple(source, fc.array(fc.tuple(fc.constantFrom('set', 'insert', 'delete', 'cut'), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }))
    .map(([bytes, edits]) => {
      let b = Array.from(bytes);
      for (const [op, at, v] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (op === 'set') b[i] = v;
        else if (op === 'insert') b.splice(i, 0, v);
        else if (op === 'delete') b.splice(i, 1);
        else b = b.slice(0, i);
      }
      return Uint8Array.from(b);
    });

describe('decodeTx against @scure/btc-signer', () => {
  it('decodes random transactions to what scure decodes, and back to the same bytes', () => {
    fc.assert(
      fc.property(txArb(0), (tx) => {
        const bytes = encodeTxScure(tx);
        const ours = expectSameAsScure(bytes);
        // scure's encoder writes a transaction without inputs in a form Core cannot read back, unless it has no outputs either.
        expect(ours.ok).toBe(tx.inputs.length > 0 || tx.outputs.length === 0);
        if (ours.ok) expect(toHex(txidOfRaw(bytes))).toBe(toHex(txidScure(ours.value)));
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on mangled transactions, truncations and random bytes (or refuses with a typed error where Core does)', () => {
    fc.assert(fc.property(mangled(txArb(1).map((t) => encodeTxScure(t))), (bytes) => void expectSameAsScure(bytes)), { numRuns: RUNS });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void expectSameAsScure(bytes)), { numRuns: RUNS });
    fc.assert(
      fc.property(txArb(1), (tx) => {
        const bytes = encodeTxScure(tx);
        for (let n = 0; n < bytes.length; n++) expectSameAsScure(bytes.subarray(0, n));
      }),
      { numRuns: LONG ? 500 : 10 },
    );
  });

  it('decodes every BOLT 3 vector transaction as scure does, with the same txid', () => {
    const hexes = bolt3TransactionHexes();
    expect(hexes.length).toBeGreaterThan(50);
    for (const hex of hexes) {
      const bytes = fromHex(hex);
      const ours = expectSameAsScure(bytes);
      expect(ours.ok).toBe(true);
      expect(toHex(txidOfRaw(bytes))).toBe(toHex(txidScure((ours as { value: Tx }).value)));
    }
  });
});

describe('encodeTx against @scure/btc-signer', () => {
  it('writes the bytes scure writes, with and without witnesses', () => {
    fc.assert(
      fc.property(txArb(0), (tx) => {
        expect(toHex(encodeTx(tx))).toBe(toHex(encodeTxScure(tx)));
        expect(toHex(encodeTxNoWitness(tx))).toBe(toHex(encodeTxScure(tx, false)));
        expect(toHex(txidOf(tx))).toBe(toHex(txidScure(tx)));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses with a typed error what scure refuses to write (fields out of range), and writes the rest identically', () => {
    const maybeBad = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad as fc.Arbitrary<T>, weight: 1 });
    const badNumber = fc.constantFrom(-1, 2 ** 32, 2 ** 53, 0.5, Number.NaN, -(2 ** 31) - 1, 2 ** 31);
    const wild = fc.record({
      version: maybeBad(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), badNumber),
      locktime: maybeBad(u32, badNumber),
      inputs: fc.array(
        fc.record({
          previousOutput: fc.record({ txid: maybeBad(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 31, maxLength: 33 }).filter((b) => b.length !== 32)), index: maybeBad(u32, badNumber) }),
          sequence: maybeBad(u32, badNumber),
          witness: fc.array(fc.uint8Array({ maxLength: 10 }), { maxLength: 2 }),
        }),
        { maxLength: 3 },
      ),
      outputs: fc.array(fc.record({ script: fc.uint8Array({ maxLength: 10 }), amount: maybeBad(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(-1n, 2n ** 64n)) }), { maxLength: 3 }),
    }) as unknown as fc.Arbitrary<Tx>;
    fc.assert(
      fc.property(wild, (tx) => {
        for (const witness of [true, false]) {
          const ours = attempt(() => (witness ? encodeTx(tx) : encodeTxNoWitness(tx)));
          const scure = attempt(() => encodeTxScure(tx, witness ? undefined : false));
          expect(ours.ok).toBe(scure.ok);
          if (ours.ok) expect(toHex(ours.value)).toBe(toHex((scure as { value: Uint8Array }).value));
          else expect((ours as { error: unknown }).error).toBeInstanceOf(TxError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('decodeTx follows Bitcoin Core where scure is more lenient or silent', () => {
  // Version 2, BIP 144 marker and flag, one input (empty scriptSig), one P2WPKH output, a one-item witness, locktime 0.
  const spend = fromHex(['02000000', '0001', '01', '07'.repeat(32), '00000000', '00', 'fdffffff', '01', '1027000000000000', '16', '0014', '11'.repeat(20), '01', '01', '51', '00000000'].join(''));

  it('reads the sample spend', () => {
    expect(decodeTx(spend).inputs[0]!.witness).toEqual([Uint8Array.of(0x51)]);
  });

  it('refuses an unknown flag after an empty input list, and reads flag 0 as a transaction without inputs or outputs', () => {
    const withFlag = (flag: number) => concatBytes(spend.subarray(0, 4), Uint8Array.of(0, flag), spend.subarray(6));
    for (const flag of [2, 3, 0x80, 0xff]) expect(() => decodeTx(withFlag(flag))).toThrow(/unknown transaction optional data/);
    expect(decodeTx(fromHex('02000000000011223344'))).toStrictEqual({ version: 2, locktime: 0x44332211, inputs: [], outputs: [] });
  });

  it('refuses the witness flag when every witness is empty, and a witness flag without inputs', () => {
    const emptyWitness = concatBytes(spend.subarray(0, spend.length - 7), Uint8Array.of(0), spend.subarray(spend.length - 4));
    expect(() => decodeTx(emptyWitness)).toThrow(/superfluous witness record/);
    expect(() => decodeTx(fromHex('020000000001000000000000'))).toThrow(TxError);
  });

  it('refuses trailing bytes and non-canonical CompactSizes', () => {
    expect(() => decodeTx(concatBytes(spend, Uint8Array.of(0)))).toThrow(/trailing/);
    const nonCanonical = concatBytes(spend.subarray(0, 6), Uint8Array.of(0xfd, 0x01, 0x00), spend.subarray(7));
    expect(() => decodeTx(nonCanonical)).toThrow(/non-canonical/);
    expect(() => decodeTxScure(nonCanonical)).toThrow();
  });

  it('refuses counts the bytes cannot hold before allocating for them', () => {
    for (const count of ['fe00000001', 'feffffff01', 'ff0000000001000000']) {
      const started = Date.now();
      expect(() => decodeTx(fromHex(`02000000${count}` + '00'.repeat(60)))).toThrow(TxError);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('refuses a length above Core\'s MAX_SIZE (32 MiB), which scure reads', () => {
    const size = 0x02000001;
    const big = new Uint8Array(4 + 1 + 41 + 1 + 8 + 5 + size + 4);
    big.set(fromHex('0100000001'), 0);
    big[4 + 1 + 36] = 0; // empty scriptSig; sequence and the output count follow
    big[4 + 1 + 41] = 1;
    big.set(fromHex('fe01000002'), 4 + 1 + 41 + 1 + 8);
    expect(decodeTxScure(big).outputs[0]!.script.length).toBe(size);
    expect(() => decodeTx(big)).toThrow(/too large/);
  });
});

function dummyHeader(): BlockHeader {
  return { version: 0x20000000, prevBlockHash: new Uint8Array(32).fill(3) as BlockHash, merkleRoot: new Uint8Array(32).fill(4), time: 1_700_000_000, bits: 0x207fffff, nonce: 7 };
}

describe('decodeBlock', () => {
  it('decodes random blocks into the transactions scure decodes, with their raw bytes, txids and wtxids', () => {
    fc.assert(
      fc.property(fc.array(txArb(1), { minLength: 1, maxLength: 8 }), (txs) => {
        const raws = txs.map((t) => encodeTxScure(t));
        const bytes = encodeBlock(dummyHeader(), raws);
        const block = decodeBlock(bytes);
        expect(block.transactions.length).toBe(txs.length);
        block.transactions.forEach((t, i) => {
          expect(t.index).toBe(i);
          expect(toHex(t.raw)).toBe(toHex(raws[i]!));
          expect(t.tx).toStrictEqual(decodeTxScure(raws[i]!));
          expect(toHex(t.txid)).toBe(toHex(txidScure(t.tx)));
          expect(toHex(t.wtxid)).toBe(toHex(sha256d(raws[i]!)));
        });
        expect(toHex(encodeBlock(block.header, block.transactions.map((t) => t.tx)))).toBe(toHex(bytes));
      }),
      { numRuns: RUNS / 3 },
    );
  });

  it('decodes the BOLT 3 vector blocks', () => {
    for (const hex of bolt3BlockHexes()) {
      const bytes = fromHex(hex);
      const block = decodeBlock(bytes);
      const raws = block.transactions.map((t) => t.raw);
      for (const t of block.transactions) expect(t.tx).toStrictEqual(decodeTxScure(t.raw));
      expect(toHex(encodeBlock(block.header, raws))).toBe(hex);
    }
  });

  it('refuses mangled and truncated blocks with a typed error, or decodes what scure decodes', () => {
    fc.assert(
      fc.property(mangled(fc.array(txArb(1), { minLength: 1, maxLength: 4 }).map((txs) => encodeBlock(dummyHeader(), txs))), (bytes) => {
        const ours = attempt(() => decodeBlock(bytes));
        if (!ours.ok) {
          expect(ours.error).toBeInstanceOf(TxError);
          expect((ours.error as TxError).code).toBe('invalid_block');
          return;
        }
        for (const t of ours.value.transactions) expect(t.tx).toStrictEqual(decodeTxScure(t.raw));
      }),
      { numRuns: RUNS },
    );
  });
});

// Every transaction and block the BOLT 3 fixtures hold.
const TX_KEYS = new Set(['funding_tx', 'block1_coinbase_tx', 'tx', 'commit_tx', 'ResolutionTxHex', 'ExpectedCommitmentTxHex', 'unsigned_funding_tx', 'signed_funding_tx', 'parent_tx', 'prevtx']);
const BLOCK_KEYS = new Set(['block0_genesis', 'block1', 'genesis_block']);
const FIXTURES = ['bolt03-funding-tx.json', 'bolt03-commitment-txs.json', 'bolt03-commitment-txs-anchors.json', 'bolt03-dual-funding.json'];

function collect(keys: Set<string>): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) for (const v of value) walk(v, key);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    else if (typeof value === 'string' && keys.has(key) && /^([0-9a-f]{2})+$/.test(value)) out.push(value);
  };
  for (const f of FIXTURES) walk(JSON.parse(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')), '');
  return out;
}
const bolt3TransactionHexes = () => collect(TX_KEYS);
const bolt3BlockHexes = () => collect(BLOCK_KEYS);
