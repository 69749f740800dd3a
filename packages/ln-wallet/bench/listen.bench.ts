// Blocks per second through the wallet's Listen with 2,000-transaction blocks
// (two inputs and two P2WPKH outputs each; two of them pay the wallet). Two
// figures: blockConnected on decoded blocks (what a sync driver hands over), and
// from raw block bytes (ln-tx's decodeBlock, then blockConnected) against the
// same scan written with bitcore-lib (Block.fromBuffer, then hex keys for
// scripts and outpoints in Sets), the obvious JavaScript alternative.
import bitcore from 'bitcore-lib';
import { measureAsync, measure, reportMeasurement } from 'ln-bench';
import { sha256 } from 'ln-crypto';
import { MemoryKVStore, blockHash, toHex, txid } from 'ln-types';
import { type Block, type BlockHeader, type Tx, decodeBlock, encodeBlock, merkleRoot, txidOf } from 'ln-tx';
import { Wallet, addressToScript } from '../src/index.js';

const TXS = 2000;
const mnemonic = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const wallet = await Wallet.load({ seed: { mnemonic }, network: 'regtest', store: new MemoryKVStore() });
const walletScripts = [addressToScript(wallet.peekAddress(3), 'regtest'), addressToScript(wallet.peekAddress(7), 'regtest')];

let counter = 0;
const random32 = () => sha256(Uint8Array.of(counter & 0xff, (counter >> 8) & 0xff, (counter >> 16) & 0xff, (counter++ >> 24) & 0xff));
const p2wpkh = () => Uint8Array.of(0, 20, ...random32().subarray(0, 20));
const transactions: Tx[] = [
  { version: 2, locktime: 0, inputs: [{ previousOutput: { txid: txid(new Uint8Array(32)), index: 0xffffffff }, sequence: 0xffffffff, scriptSig: Uint8Array.of(1, 1) }], outputs: [{ script: p2wpkh(), amount: 50_0000_0000n }] },
];
for (let i = 1; i < TXS; i++) {
  const pays = i === 500 ? walletScripts[0]! : i === 1500 ? walletScripts[1]! : p2wpkh();
  transactions.push({
    version: 2,
    locktime: 0,
    inputs: [0, 1].map((n) => ({ previousOutput: { txid: txid(random32()), index: n }, sequence: 0xfffffffd, witness: [new Uint8Array(72).fill(0x30), new Uint8Array(33).fill(2)] })),
    outputs: [{ script: pays, amount: 100_000n + BigInt(i) }, { script: p2wpkh(), amount: 5_000_000n }],
  });
}
const header: BlockHeader = { version: 0x20000000, prevBlockHash: blockHash(new Uint8Array(32)), merkleRoot: merkleRoot(transactions.map((t) => txidOf(t))), time: 1_700_000_000, bits: 0x207fffff, nonce: 0 };
const raw = encodeBlock(header, transactions);
const decoded = decodeBlock(raw);
console.error(`block: ${TXS} transactions, ${(raw.length / 1e6).toFixed(2)} MB`);

// Each block links to the wallet's tip; the transactions are the same in every block (so the wallet's two move along with the tip).
let height = 0;
let tipHash = blockHash(new Uint8Array(32));
const nextBlock = (template: Block): Block => {
  const hash = blockHash(random32());
  const block = { ...template, header: { ...template.header, prevBlockHash: tipHash }, hash };
  tipHash = hash;
  return block;
};
// The peer: the same scan with bitcore-lib (hex keys of scripts and outpoints in Sets).
interface BitcoreBlock {
  transactions: { outputs: { script: { toBuffer(): Buffer } }[]; inputs: { prevTxId: Buffer; outputIndex: number }[] }[];
}
const bc = bitcore as { Block: { fromBuffer(b: Buffer): BitcoreBlock } };
const scriptSet = new Set(walletScripts.map((s) => toHex(s)));
const outpoints = new Set<string>();
const rawBuffer = Buffer.from(raw);
let found = 0;
const bitcoreScan = (block: BitcoreBlock) => {
  for (const tx of block.transactions) {
    for (const o of tx.outputs) if (scriptSet.has(o.script.toBuffer().toString('hex'))) found++;
    for (const i of tx.inputs) if (outpoints.has(`${i.prevTxId.toString('hex')}:${i.outputIndex}`)) found++;
  }
};
const parsed = bc.Block.fromBuffer(rawBuffer);

const decodedRun = await measureAsync(() => wallet.blockConnected(nextBlock(decoded), ++height));
const peerScan = measure(() => bitcoreScan(parsed));
reportMeasurement('ln-wallet', `Listen.blockConnected, ${TXS}-tx blocks (decoded)`, decodedRun, 'blocks/s', { name: 'bitcore-lib hex-key scan of a parsed block', measurement: peerScan });
if (wallet.balances().confirmedSat !== 200_000n + 500n + 1500n) throw new Error('the wallet did not find its two outputs');

const rawRun = await measureAsync(() => wallet.blockConnected(nextBlock(decodeBlock(raw)), ++height));
const peerRun = measure(() => bitcoreScan(bc.Block.fromBuffer(rawBuffer)));
if (found === 0) throw new Error('the bitcore scan found nothing');
reportMeasurement('ln-wallet', `raw ${TXS}-tx block -> wallet (ln-tx decodeBlock + blockConnected)`, rawRun, 'blocks/s', { name: 'bitcore-lib Block.fromBuffer + hex-key scan', measurement: peerRun });
