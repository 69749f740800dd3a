// Transactions and blocks in and out: ln-tx's own decoder and encoder against
// the previous implementation, @scure/btc-signer's RawTx mapped to ln-tx's Tx
// (and, for blocks, a scan for each transaction's bounds before decoding it), in
// the same run. Blocks carry their txids and wtxids (two double SHA-256 each) in
// both, as every chain client needs them.
import { readFileSync } from 'node:fs';
import { measure, quick, reportMeasurement } from 'ln-bench';
import { sha256 } from 'ln-crypto';
import { type Txid, fromHex } from 'ln-types';
import { type BlockHeader, type Tx, decodeBlock, decodeTx, encodeBlock, encodeTx, p2wpkh, txidOf } from '../src/index.js';
import { decodeBlockTxsScure, decodeTxScure, encodeTxScure, txidScure } from '../test/scure-reference.js';

const PKG = 'ln-tx';

const key = (n: number) => sha256(Uint8Array.of(n)).subarray(0, 20);
const pubLike = (n: number) => Uint8Array.of(2, ...sha256(Uint8Array.of(n, 1)));

// A P2WPKH payment: one input, two outputs, a 2-item witness (the common case in blocks).
function payment(n: number): Tx {
  return {
    version: 2,
    locktime: 800_000 + n,
    inputs: [{ previousOutput: { txid: sha256(Uint8Array.of(n, 2)) as Txid, index: n % 3 }, sequence: 0xfffffffd, witness: [new Uint8Array(72).fill(n), pubLike(n)] }],
    outputs: [
      { script: p2wpkh(pubLike(n + 1)), amount: 100_000n + BigInt(n) },
      { script: Uint8Array.of(0x00, 0x14, ...key(n)), amount: 5_000_000n },
    ],
  };
}

const paymentRaw = encodeTx(payment(1));
const commitment = JSON.parse(readFileSync(new URL('../test/fixtures/bolt03-commitment-txs.json', import.meta.url), 'utf8')) as { vectors: { commit_tx: string }[] };
// The BOLT 3 commitment with the most HTLC outputs.
const commitmentRaw = commitment.vectors.map((v) => fromHex(v.commit_tx)).reduce((a, b) => (b.length > a.length ? b : a));

for (const [name, raw] of [
  ['P2WPKH payment, 1 in 2 out', paymentRaw],
  ['BOLT 3 commitment with HTLCs', commitmentRaw],
] as const) {
  const ours = measure(() => decodeTx(raw));
  const scure = measure(() => decodeTxScure(raw));
  reportMeasurement(PKG, `decodeTx (${name}, ${raw.length} B)`, ours, 'tx/s', { name: '@scure/btc-signer RawTx', measurement: scure });
  const tx = decodeTx(raw);
  reportMeasurement(PKG, `encodeTx (${name})`, measure(() => encodeTx(tx)), 'tx/s', { name: '@scure/btc-signer RawTx', measurement: measure(() => encodeTxScure(tx)) });
  reportMeasurement(PKG, `txidOf (${name})`, measure(() => txidOf(tx)), 'tx/s', { name: '@scure/btc-signer RawOldTx + sha256d', measurement: measure(() => txidScure(tx)) });
}

const header: BlockHeader = { version: 0x20000000, prevBlockHash: new Uint8Array(32) as BlockHeader['prevBlockHash'], merkleRoot: new Uint8Array(32), time: 1_700_000_000, bits: 0x207fffff, nonce: 0 };
for (const count of quick ? [100] : [100, 2000]) {
  const block = encodeBlock(header, Array.from({ length: count }, (_, i) => payment(i)));
  const options = count > 1000 ? { minRunMs: quick ? 200 : 1000 } : {};
  const ours = measure(() => decodeBlock(block), options);
  const scure = measure(() => decodeBlockTxsScure(block), options);
  reportMeasurement(PKG, `decodeBlock (${count} transactions, ${(block.length / 1024).toFixed(0)} KiB, with txids and wtxids)`, ours, 'blocks/s', {
    name: 'scan + @scure/btc-signer RawTx',
    measurement: scure,
  });
}
