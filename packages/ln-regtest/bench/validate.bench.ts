// The regtest chain's script validation, against the previous implementation
// measured in the same run (ln-script-verify's `bitcore-legacy`: bitcore-lib's
// interpreter verifying signatures by itself, as before libsecp256k1; and no
// use of the script cache when a block connects):
// - transactions validated per second by full mempool acceptance (decode,
//   consensus, relay policy, every input script) of a P2WPKH payment and of a
//   P2WSH 2-of-2 (a Lightning funding output) spent by its two signatures;
// - the time to connect a block of 100 P2WPKH spends already in the mempool.
import { type Measurement, measure, median, quick, reportMeasurement } from 'ln-bench';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { type SignatureBackendName, STANDARD_SCRIPT_FLAGS, TransactionScripts } from 'ln-script-verify';
import { type Tx, encodeTx, fundingKeyIsFirst, fundingScript, p2pkh, p2wpkh, p2wpkhWitness, p2wsh, signSegwitInput, witnessSignature } from 'ln-tx';
import { type Txid, toHex } from 'ln-types';
import { Regtest } from '../src/index.js';

const PKG = 'ln-regtest';
const VARIANTS = quick ? 100 : 400;
const BLOCK_TXS = quick ? 30 : 100;
const PREVIOUS = 'bitcore-lib alone (the previous implementation)';

const key = (n: number) => {
  const priv = sha256(Uint8Array.of(n));
  return { priv, pub: publicKeyFromPrivate(priv) };
};
const alice = key(1);
const bob = key(2);

// Two chains built the same way (fixed clock and faucet seed: the same blocks): one checks signatures with libsecp256k1, one with bitcore-lib.
const open = (signatures?: SignatureBackendName) => {
  const node = Regtest.open({ clock: () => 1_700_000_000, ...(signatures === undefined ? {} : { signatures }) });
  node.mine(101);
  return node;
};
const fast = open();
const slow = open('bitcore-legacy');
const both = [fast, slow];

type Coin = { txid: Uint8Array; index: number; amount: bigint };
function fund(script: Uint8Array, amount: bigint, count = 1): Coin[] {
  const coins: Coin[] = [];
  let txids: string[] = [];
  for (const node of both) txids = Array.from({ length: count }, () => node.faucetPay(script, amount));
  for (const node of both) node.mine(1);
  for (const txidHex of txids) {
    const info = fast.findTx(txidHex)!.info;
    coins.push({ txid: info.txid, index: info.tx.outputs.findIndex((o) => toHex(o.script) === toHex(script) && o.amount === amount), amount });
  }
  if (toHex(fast.tip.hash) !== toHex(slow.tip.hash)) throw new Error('the two chains differ');
  return coins;
}

function payTo(coin: Coin, fee: bigint): Tx {
  return {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: { txid: coin.txid as Txid, index: coin.index }, sequence: 0xfffffffd }],
    outputs: [{ script: p2wpkh(bob.pub), amount: coin.amount - fee }],
  };
}

function signedWpkh(coin: Coin, fee: bigint): Uint8Array {
  const tx = payTo(coin, fee);
  const sig = signSegwitInput(tx, 0, p2pkh(alice.pub), coin.amount, alice.priv);
  return encodeTx({ ...tx, inputs: [{ ...tx.inputs[0]!, witness: p2wpkhWitness(sig, alice.pub) }] });
}

// P2WPKH spends (variants of one coin, each validated on its own).
const wpkhScript = p2wpkh(alice.pub);
const [wpkhCoin] = fund(wpkhScript, 1_000_000n);
const wpkhTxs = Array.from({ length: VARIANTS }, (_, i) => signedWpkh(wpkhCoin!, 500n + BigInt(i)));

// P2WSH 2-of-2 spends (a funding output).
const multisig = fundingScript(alice.pub, bob.pub);
const [wshCoin] = fund(p2wsh(multisig), 1_000_000n);
const aliceFirst = fundingKeyIsFirst(alice.pub, bob.pub);
const wshTxs = Array.from({ length: VARIANTS }, (_, i) => {
  const tx = payTo(wshCoin!, 500n + BigInt(i));
  const sa = witnessSignature(signSegwitInput(tx, 0, multisig, wshCoin!.amount, alice.priv));
  const sb = witnessSignature(signSegwitInput(tx, 0, multisig, wshCoin!.amount, bob.priv));
  return encodeTx({ ...tx, inputs: [{ ...tx.inputs[0]!, witness: [new Uint8Array(0), aliceFirst ? sa : sb, aliceFirst ? sb : sa, multisig] }] });
});

function accepting(node: Regtest, txs: readonly Uint8Array[]): () => void {
  let at = 0;
  return () => {
    if (at === txs.length) {
      at = 0;
      // Every transaction is validated from scratch, never answered from the script cache.
      node.chain.scriptCache.clear();
    }
    if (node.testMempoolAccept([txs[at++]!], 0n)[0]!.allowed !== true) throw new Error('refused');
  };
}

for (const [name, txs, spent] of [
  ['P2WPKH spend', wpkhTxs, { script: wpkhScript, amount: wpkhCoin!.amount }],
  ['P2WSH 2-of-2 spend', wshTxs, { script: p2wsh(multisig), amount: wshCoin!.amount }],
] as const) {
  for (const node of both) for (const raw of txs.slice(0, 2)) if (node.testMempoolAccept([raw])[0]!.allowed !== true) throw new Error(`${name} refused`);
  const ours = measure(accepting(fast, txs));
  const previous = measure(accepting(slow, txs), { runs: quick ? 2 : 3, warmupMs: 100 });
  reportMeasurement(PKG, `transactions validated (${name}, full mempool acceptance)`, ours, 'tx/s', { name: PREVIOUS, measurement: previous });
  // The interpreter alone on the same transactions: what the rest of validation costs on top.
  const alone = measure(() => {
    if (new TransactionScripts(txs[0]!, [spent]).verifyAll(STANDARD_SCRIPT_FLAGS) !== undefined) throw new Error('refused');
  });
  const short = { runs: quick ? 2 : 3, warmupMs: 100 };
  const legacy = measure(() => void new TransactionScripts(txs[0]!, [spent], { signatures: 'bitcore-legacy' }).verifyAll(STANDARD_SCRIPT_FLAGS), short);
  reportMeasurement(PKG, `scripts verified (${name}, ln-script-verify alone)`, alone, 'tx/s', { name: PREVIOUS, measurement: legacy });
  // The fallback where libsecp256k1 cannot load: bitcore's curve code, without its redundant key parsing.
  const fallback = measure(() => void new TransactionScripts(txs[0]!, [spent], { signatures: 'bitcore' }).verifyAll(STANDARD_SCRIPT_FLAGS), short);
  reportMeasurement(PKG, `scripts verified (${name}, ln-script-verify alone, bitcore fallback)`, fallback, 'tx/s', { name: PREVIOUS, measurement: legacy });
}

// A block of spends already in the mempool: mined on one chain, held in the other's mempool, then connected there.
const blockCoins = fund(wpkhScript, 20_000n, BLOCK_TXS);
const blockTxs = blockCoins.map((c) => signedWpkh(c, 1_000n));
for (const node of both) for (const raw of blockTxs) node.sendRawTransaction(raw);
const blockHash = fast.mine(1)[0]!;
if (slow.mine(1)[0] !== blockHash) throw new Error('the two chains mined different blocks');

/** Milliseconds to reconnect the block (after invalidateblock put its transactions back in the mempool). */
function connectTimes(node: Regtest, runs: number, prepare: () => void): Measurement {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    node.invalidateBlock(blockHash);
    if (node.mempool.size !== BLOCK_TXS) throw new Error('the block\'s transactions are not back in the mempool');
    prepare();
    const start = performance.now();
    node.reconsiderBlock(blockHash);
    times.push(performance.now() - start);
    if (node.tip.hashHex !== blockHash) throw new Error('the block did not connect');
  }
  return { opsPerSec: times, median: median(times), min: Math.min(...times), max: Math.max(...times), n: runs };
}

const RUNS = quick ? 3 : 7;
const cached = connectTimes(fast, RUNS, () => {});
const uncachedFast = connectTimes(fast, RUNS, () => fast.chain.scriptCache.clear());
const uncachedSlow = connectTimes(slow, quick ? 1 : 3, () => slow.chain.scriptCache.clear());
const label = `block connect (${BLOCK_TXS} P2WPKH spends already in the mempool)`;
reportMeasurement(PKG, label, cached, 'ms', { name: `${PREVIOUS}, scripts run again`, measurement: uncachedSlow, higherIsBetter: false });
reportMeasurement(PKG, `${label}, script cache vs none`, cached, 'ms', { name: 'libsecp256k1 signatures, scripts run again', measurement: uncachedFast, higherIsBetter: false });
