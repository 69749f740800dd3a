import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { blockHashToHex, fromHex, toHex, txidToHex } from 'ln-types';
import {
  type BlockHeader,
  type Tx,
  TxError,
  bitsToTarget,
  blockHeaderHash,
  blockWork,
  checkBlockCommitments,
  decodeBlock,
  decodeBlockHeader,
  decodeTx,
  encodeBlock,
  encodeBlockHeader,
  encodeTx,
  meetsProofOfWork,
  merkleBranch,
  merkleRoot,
  merkleRootFromBranch,
  targetToBits,
  txidHex,
  txidOfRaw,
  witnessCommitment,
  witnessCommitmentScript,
} from '../src/index.js';
import { fixture } from './helpers.js';

// The genesis coinbase, shared by mainnet and regtest.
const GENESIS_COINBASE =
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000';
const GENESIS_MERKLE = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';
const MAINNET_GENESIS_HEADER =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';

describe('block headers', () => {
  it('hashes the mainnet genesis header to its known id and meets its target', () => {
    const bytes = fromHex(MAINNET_GENESIS_HEADER);
    const header = decodeBlockHeader(bytes);
    expect(header.bits).toBe(0x1d00ffff);
    expect(header.nonce).toBe(2083236893);
    expect(toHex(encodeBlockHeader(header))).toBe(MAINNET_GENESIS_HEADER);
    const hash = blockHeaderHash(header);
    expect(blockHashToHex(hash)).toBe('000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f');
    expect(meetsProofOfWork(hash, header.bits)).toBe(true);
    expect(blockWork(0x1d00ffff)).toBe(0x100010001n);
  });

  it('builds the regtest genesis block from its coinbase', () => {
    const coinbase = fromHex(GENESIS_COINBASE);
    expect(txidToHex(txidOfRaw(coinbase))).toBe(GENESIS_MERKLE);
    const header: BlockHeader = {
      version: 1,
      prevBlockHash: new Uint8Array(32) as BlockHeader['prevBlockHash'],
      merkleRoot: merkleRoot([txidOfRaw(coinbase)]),
      time: 1296688602,
      bits: 0x207fffff,
      nonce: 2,
    };
    const block = decodeBlock(encodeBlock(header, [coinbase]));
    expect(blockHashToHex(block.hash)).toBe('0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206');
    expect(meetsProofOfWork(block.hash, header.bits)).toBe(true);
    checkBlockCommitments(block);
  });

  it('converts compact targets both ways (regtest, mainnet minimum, a mid value)', () => {
    for (const bits of [0x207fffff, 0x1d00ffff, 0x1b0404cb, 0x17034219]) expect(targetToBits(bitsToTarget(bits))).toBe(bits);
    expect(bitsToTarget(0x1d00ffff)).toBe(0xffffn << 208n);
    expect(() => bitsToTarget(0x04923456)).toThrow(TxError);
  });

  it('refuses a header of the wrong length', () => {
    expect(() => decodeBlockHeader(new Uint8Array(79))).toThrow(TxError);
  });
});

describe('txids from raw bytes', () => {
  it('strips the witness the way the BOLT 3 HTLC transactions reference their commitment', () => {
    const vectors = fixture('bolt03-commitment-txs.json').vectors as { commit_tx: string; htlc_txs: { tx: string }[] }[];
    let checked = 0;
    for (const v of vectors) {
      const id = txidOfRaw(fromHex(v.commit_tx));
      expect(txidToHex(id)).toBe(txidHex(decodeTx(fromHex(v.commit_tx))));
      for (const h of v.htlc_txs) {
        expect(toHex(decodeTx(fromHex(h.tx)).inputs[0]!.previousOutput.txid)).toBe(toHex(id));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

function segwitSpend(seed: number): Tx {
  return {
    version: 2,
    locktime: seed,
    inputs: [{ previousOutput: { txid: new Uint8Array(32).fill(seed & 0xff) as Tx['inputs'][0]['previousOutput']['txid'], index: seed % 7 }, sequence: 0xfffffffd, witness: [new Uint8Array(72).fill(1), new Uint8Array(33).fill(2)] }],
    outputs: [{ script: fromHex('0014' + '11'.repeat(20)), amount: BigInt(1000 + seed) }],
  };
}

function coinbaseFor(wtxids: Uint8Array[], height: number): Tx {
  const reserved = new Uint8Array(32);
  return {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: { txid: new Uint8Array(32) as Tx['inputs'][0]['previousOutput']['txid'], index: 0xffffffff }, sequence: 0xffffffff, scriptSig: Uint8Array.of(3, height & 0xff, (height >> 8) & 0xff, height >> 16), witness: [reserved] }],
    outputs: [
      { script: fromHex('51'), amount: 5000000000n },
      { script: witnessCommitmentScript(witnessCommitment([new Uint8Array(32), ...wtxids])), amount: 0n },
    ],
  };
}

function segwitBlock(count: number): Uint8Array {
  const spends = Array.from({ length: count }, (_, i) => encodeTx(segwitSpend(i + 1)));
  const wtxids = spends.map((raw) => decodeBlock(encodeBlock(dummyHeader(), [raw])).transactions[0]!.wtxid);
  const coinbase = encodeTx(coinbaseFor(wtxids, 500));
  const txids = [coinbase, ...spends].map(txidOfRaw);
  return encodeBlock({ ...dummyHeader(), merkleRoot: merkleRoot(txids) }, [coinbase, ...spends]);
}

function dummyHeader(): BlockHeader {
  return { version: 0x20000000, prevBlockHash: new Uint8Array(32).fill(9) as BlockHeader['prevBlockHash'], merkleRoot: new Uint8Array(32), time: 1700000000, bits: 0x207fffff, nonce: 0 };
}

describe('blocks with witness data', () => {
  it('checks the merkle root and the BIP 141 witness commitment, and catches a changed witness', () => {
    const bytes = segwitBlock(5);
    const block = decodeBlock(bytes);
    expect(block.transactions).toHaveLength(6);
    checkBlockCommitments(block);
    // Flip one witness byte of the last transaction: the txid (and merkle root) stays, the commitment breaks.
    const tampered = bytes.slice();
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 1;
    const bad = decodeBlock(tampered);
    expect(toHex(bad.header.merkleRoot)).toBe(toHex(block.header.merkleRoot));
    expect(() => checkBlockCommitments(bad)).toThrow(/witness commitment/);
  });

  it('catches a merkle root that does not match', () => {
    const bytes = segwitBlock(2);
    bytes[40] = bytes[40]! ^ 1;
    expect(() => checkBlockCommitments(decodeBlock(bytes))).toThrow(/merkle root/);
  });

  it('refuses every truncation and trailing bytes with a typed error', () => {
    const bytes = segwitBlock(3);
    for (let n = 0; n < bytes.length; n += 7) expect(() => decodeBlock(bytes.subarray(0, n))).toThrow(TxError);
    expect(() => decodeBlock(Uint8Array.from([...bytes, 0]))).toThrow(TxError);
  });

  it('survives random bytes without throwing anything but TxError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), (junk) => {
        const bytes = Uint8Array.from([...fromHex(MAINNET_GENESIS_HEADER), ...junk]);
        try {
          decodeBlock(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(TxError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('merkle branches', () => {
  it('lead from every leaf to the root, for every tree size up to 17', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 17 }), fc.nat(), (size, pick) => {
        const leaves = Array.from({ length: size }, (_, i) => new Uint8Array(32).fill(i + 1));
        const index = pick % size;
        const root = merkleRoot(leaves);
        expect(toHex(merkleRootFromBranch(leaves[index]!, merkleBranch(leaves, index), index))).toBe(toHex(root));
      }),
    );
  });

  it('round-trips random blocks of segwit transactions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (count) => {
        const bytes = segwitBlock(count);
        const block = decodeBlock(bytes);
        expect(toHex(encodeBlock(block.header, block.transactions.map((t) => t.raw)))).toBe(toHex(bytes));
        expect(block.transactions.map((t) => txidHex(t.tx))).toEqual(block.transactions.map((t) => txidToHex(t.txid)));
      }),
      { numRuns: 30 },
    );
  });
});
