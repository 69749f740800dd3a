// Transactions validated per second by the regtest chain: full mempool
// acceptance (decode, consensus, relay policy, every input script through
// bitcore-lib's interpreter) of realistic spends, a P2WPKH payment and a P2WSH
// 2-of-2 (a Lightning funding output) spent by its two signatures. The peer is
// bitcore-lib's interpreter alone on the same transactions in the same run:
// the ratio shows what the rest of validation costs on top of the scripts.
import { measure, quick, reportMeasurement } from 'ln-bench';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { STANDARD_SCRIPT_FLAGS, TransactionScripts } from 'ln-script-verify';
import { type Tx, encodeTx, fundingKeyIsFirst, fundingScript, p2pkh, p2wpkh, p2wpkhWitness, p2wsh, signSegwitInput, witnessSignature } from 'ln-tx';
import { type Txid, toHex } from 'ln-types';
import { Regtest } from '../src/index.js';

const PKG = 'ln-regtest';
const VARIANTS = quick ? 150 : 600;

const key = (n: number) => {
  const priv = sha256(Uint8Array.of(n));
  return { priv, pub: publicKeyFromPrivate(priv) };
};
const alice = key(1);
const bob = key(2);
const node = Regtest.open({ clock: () => 1_700_000_000 });
node.mine(101);

function fund(script: Uint8Array, amount: bigint): { txid: Uint8Array; index: number; amount: bigint } {
  const txidHex = node.faucetPay(script, amount);
  node.mine(1);
  const info = node.findTx(txidHex)!.info;
  return { txid: info.txid, index: info.tx.outputs.findIndex((o) => toHex(o.script) === toHex(script)), amount };
}

function variant(coin: { txid: Uint8Array; index: number; amount: bigint }, fee: bigint): Tx {
  return {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: { txid: coin.txid as Txid, index: coin.index }, sequence: 0xfffffffd }],
    outputs: [{ script: p2wpkh(bob.pub), amount: coin.amount - fee }],
  };
}

// P2WPKH spends.
const wpkhScript = p2wpkh(alice.pub);
const wpkhCoin = fund(wpkhScript, 1_000_000n);
const wpkhTxs = Array.from({ length: VARIANTS }, (_, i) => {
  const tx = variant(wpkhCoin, 500n + BigInt(i));
  const sig = signSegwitInput(tx, 0, p2pkh(alice.pub), wpkhCoin.amount, alice.priv);
  return encodeTx({ ...tx, inputs: [{ ...tx.inputs[0]!, witness: p2wpkhWitness(sig, alice.pub) }] });
});

// P2WSH 2-of-2 spends (a funding output).
const multisig = fundingScript(alice.pub, bob.pub);
const wshCoin = fund(p2wsh(multisig), 1_000_000n);
const aliceFirst = fundingKeyIsFirst(alice.pub, bob.pub);
const wshTxs = Array.from({ length: VARIANTS }, (_, i) => {
  const tx = variant(wshCoin, 500n + BigInt(i));
  const sa = witnessSignature(signSegwitInput(tx, 0, multisig, wshCoin.amount, alice.priv));
  const sb = witnessSignature(signSegwitInput(tx, 0, multisig, wshCoin.amount, bob.priv));
  return encodeTx({ ...tx, inputs: [{ ...tx.inputs[0]!, witness: [new Uint8Array(0), aliceFirst ? sa : sb, aliceFirst ? sb : sa, multisig] }] });
});

function cycle(txs: readonly Uint8Array[], run: (raw: Uint8Array) => void): () => void {
  let at = 0;
  return () => {
    if (at === txs.length) {
      at = 0;
      // Every transaction is validated from scratch, never answered from the script cache.
      node.chain.scriptCache.clear();
    }
    run(txs[at++]!);
  };
}

for (const [name, txs, spent] of [
  ['P2WPKH spend', wpkhTxs, { script: wpkhScript, amount: wpkhCoin.amount }],
  ['P2WSH 2-of-2 spend', wshTxs, { script: p2wsh(multisig), amount: wshCoin.amount }],
] as const) {
  // Sanity: every variant is accepted.
  for (const raw of txs.slice(0, 3)) if (node.testMempoolAccept([raw])[0]!.allowed !== true) throw new Error(`${name} refused`);
  const ours = measure(
    cycle(txs, (raw) => {
      if (node.testMempoolAccept([raw], 0n)[0]!.allowed !== true) throw new Error('refused');
    }),
  );
  const peer = measure(
    cycle(txs, (raw) => {
      if (new TransactionScripts(raw, [spent]).verifyAll(STANDARD_SCRIPT_FLAGS) !== undefined) throw new Error('refused');
    }),
  );
  reportMeasurement(PKG, `transactions validated (${name}, full mempool acceptance)`, ours, 'tx/s', { name: 'bitcore-lib interpreter alone', measurement: peer });
}
