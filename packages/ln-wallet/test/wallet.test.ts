// The wallet against a script-checking chain: receipts inside and beyond the
// handed-out window, payments with change, spending unconfirmed change, sendAll,
// a 2-of-2 funding output spent afterwards, RBF, WalletSource on mixed inputs,
// reorganizations of one to three blocks, coinbase maturity, restarts, and the
// Confirm path with its Filter registrations.
import { describe, expect, test } from '@jest/globals';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { MemoryKVStore, equalBytes, outPoint, outPointKey, toHex } from 'ln-types';
import {
  type Tx,
  SIGHASH_ALL,
  fundingOutput,
  fundingScript,
  fundingKeyIsFirst,
  p2wsh,
  script,
  op,
  OP,
  signSegwitInput,
  txWeight,
  txidOf,
  witnessSignature,
  withWitness,
} from 'ln-tx';
import { Wallet, WalletError, addressToScript, p2wpkhScript } from '../src/index.js';
import { EXTERNAL_SCRIPT, Faucet, MNEMONIC, OTHER_MNEMONIC, RecordingBroadcaster, RecordingFilter, openWallet } from './helpers/fixtures.js';
import { MiniChain } from './helpers/mini-chain.js';

const BTC = 100_000_000n;

async function setup(extra: Parameters<typeof openWallet>[1] = {}) {
  const chain = new MiniChain();
  const faucet = new Faucet(chain);
  const broadcaster = new RecordingBroadcaster();
  const store = new MemoryKVStore();
  const wallet = await openWallet(chain, { broadcaster, store, ...extra });
  faucet.fund(5);
  for (const b of chain.blocks) await wallet.blockConnected(b.block, b.height);
  /** Mines the mempool (or `txs`) and feeds the block to the wallet. */
  const mine = async (txs?: Tx[]) => {
    const block = chain.mine(undefined, txs);
    await wallet.blockConnected(block, chain.height);
    return block;
  };
  const receive = async (amount: bigint, address?: string) => {
    const script = addressToScript(address ?? (await wallet.newAddress()), 'regtest');
    const tx = faucet.pay([{ script, amount }]);
    chain.submit(tx);
    return tx;
  };
  return { chain, faucet, broadcaster, store, wallet, mine, receive };
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(WalletError);
    expect((error as WalletError).code).toBe(code);
    return;
  }
  throw new Error(`expected WalletError ${code}`);
}

describe('receiving', () => {
  test('finds payments to handed-out addresses and to addresses within the lookahead, moving the window in the same block', async () => {
    const { wallet, faucet, chain, mine } = await setup();
    const first = await wallet.newAddress();
    expect(first).toBe(wallet.peekAddress(0));
    const pay = (index: number, amount: bigint) => faucet.pay([{ script: addressToScript(wallet.peekAddress(index), 'regtest'), amount }]);
    // Index 30 is outside the first window (0..20) until the payment to 15 lands; it comes first in the block.
    const to30 = pay(30, 3n * BTC);
    const to15 = pay(15, 2n * BTC);
    const to0 = pay(0, 1n * BTC);
    await mine([to30, to15, to0]);
    expect(wallet.balances().confirmedSat).toBe(6n * BTC);
    // 60 is beyond every window: a gap-limit wallet does not see it.
    await mine([pay(60, 1n * BTC)]);
    expect(wallet.balances().confirmedSat).toBe(6n * BTC);
    expect(wallet.listUtxos().map((u) => u.index).sort((a, b) => a - b)).toEqual([0, 15, 30]);
    expect(chain.height).toBe(7);
    expect(wallet.bestBlock?.height).toBe(7);
  });

  test('a coinbase paid to the wallet is immature until 101 confirmations', async () => {
    const { wallet, chain } = await setup();
    const script = addressToScript(await wallet.newAddress(), 'regtest');
    const block = chain.mine(script, []);
    await wallet.blockConnected(block, chain.height);
    expect(wallet.balances()).toMatchObject({ immatureSat: 50n * BTC, confirmedSat: 0n, spendableSat: 0n });
    for (let i = 0; i < 99; i++) await wallet.blockConnected(chain.mine(undefined, []), chain.height);
    expect(wallet.balances().immatureSat).toBe(50n * BTC);
    await wallet.blockConnected(chain.mine(undefined, []), chain.height);
    expect(wallet.balances()).toMatchObject({ immatureSat: 0n, confirmedSat: 50n * BTC });
    expect(await wallet.listConfirmedUtxos()).toHaveLength(1);
  });

  test('refuses a block that does not connect to its tip', async () => {
    const { wallet, chain } = await setup();
    const block = chain.mine();
    chain.mine();
    await expectCode(wallet.blockConnected(chain.blocks.at(-1)!.block, chain.height), 'chain_mismatch');
    await wallet.blockConnected(block, chain.height - 1);
  });
});

describe('spending', () => {
  test('pays with change, spends its unconfirmed change, and every transaction validates', async () => {
    const { wallet, chain, mine, receive, broadcaster } = await setup();
    await receive(1n * BTC);
    await mine();
    const sent = await wallet.send(EXTERNAL_SCRIPT, 30_000_000n, 2500);
    expect(broadcaster.sent.at(-1)![0]).toBe(sent.tx);
    const fee = chain.submit(sent.tx);
    expect(fee).toBe(sent.feeSat);
    expect(chain.feerate(sent.tx, fee)).toBeGreaterThanOrEqual(2500);
    expect(sent.changeIndex).toBeDefined();
    const change = sent.tx.outputs[sent.changeIndex!]!.amount;
    expect(change).toBe(1n * BTC - 30_000_000n - fee);
    expect(wallet.balances()).toMatchObject({ confirmedSat: 0n, trustedPendingSat: change, spendableSat: change });
    // Only unconfirmed change is left: a second payment spends it before it confirms.
    const second = await wallet.send(EXTERNAL_SCRIPT, 20_000_000n, 2500);
    expect(second.tx.inputs[0]!.previousOutput.txid).toEqual(sent.txid);
    chain.submit(second.tx);
    // Unless told not to.
    await expectCode(wallet.send(EXTERNAL_SCRIPT, 10_000_000n, 2500, { allowUnconfirmedChange: false }), 'insufficient_funds');
    await mine();
    const balances = wallet.balances();
    expect(balances.trustedPendingSat).toBe(0n);
    expect(balances.confirmedSat).toBe(1n * BTC - 50_000_000n - sent.feeSat - second.feeSat);
    expect(wallet.getTransaction(sent.txid)).toMatchObject({ confirmed: true, confirmations: 1, feeSat: sent.feeSat });
    expect(wallet.listTransactions()).toHaveLength(3);
  });

  test('prefers a changeless selection when one exists', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(40_000n);
    await receive(70_000n);
    await receive(1_000_000n);
    await mine();
    // 70,000 less the fee of a one-input, one-output transaction at 253 sat/kw is about 69,890.
    const sent = await wallet.send(EXTERNAL_SCRIPT, 69_800n, 253);
    expect(sent.changeIndex).toBeUndefined();
    expect(sent.tx.inputs).toHaveLength(1);
    chain.submit(sent.tx);
  });

  test('sendAll empties the wallet into one output', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(1n * BTC);
    await receive(2n * BTC);
    await mine();
    await receive(5_000_000n);
    const all = await wallet.sendAll(EXTERNAL_SCRIPT, 1000, { allowUnconfirmedChange: false });
    expect(all.tx.inputs).toHaveLength(2);
    expect(all.tx.outputs).toHaveLength(1);
    chain.submit(all.tx);
    expect(all.feeSat).toBeGreaterThanOrEqual(BigInt(Math.ceil(txWeight(all.tx) * 1000 / 1000)));
    await mine();
    expect(wallet.balances()).toMatchObject({ confirmedSat: 5_000_000n, totalSat: 5_000_000n });
  });

  test('refuses dust, bad fee rates, foreign addresses and what it cannot pay', async () => {
    const { wallet, mine, receive } = await setup();
    await receive(100_000n);
    await mine();
    await expectCode(wallet.send(EXTERNAL_SCRIPT, 329n, 1000), 'invalid_amount');
    await expectCode(wallet.send(EXTERNAL_SCRIPT, 10_000n, 252), 'invalid_feerate');
    await expectCode(wallet.send(EXTERNAL_SCRIPT, 10_000n, 1000.5), 'invalid_feerate');
    await expectCode(wallet.send('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 10_000n, 1000), 'invalid_address');
    await expectCode(wallet.send(Uint8Array.of(0x00, 0x01), 10_000n, 1000), 'invalid_script');
    await expectCode(wallet.send(EXTERNAL_SCRIPT, 100_000n, 1000), 'insufficient_funds');
  });
});

describe('channel funding', () => {
  test('a funding transaction pays a 2-of-2 that both keys can then spend; it is not broadcast and its coins stay reserved', async () => {
    const { wallet, chain, mine, receive, broadcaster } = await setup();
    await receive(1n * BTC);
    await receive(20_000_000n);
    await mine();
    const localKey = sha256(Uint8Array.of(1));
    const remoteKey = sha256(Uint8Array.of(2));
    const localPub = publicKeyFromPrivate(localKey);
    const remotePub = publicKeyFromPrivate(remoteKey);
    const output = fundingOutput(localPub, remotePub, 50_000_000n);
    const before = broadcaster.sent.length;
    const funding = await wallet.createFundingTransaction({ script: output.script, amountSat: output.amount }, 1250);
    expect(broadcaster.sent.length).toBe(before);
    const index = funding.outputIndexes[0]!;
    expect(funding.tx.outputs[index]).toEqual(output);
    for (const input of funding.tx.inputs) expect(input.witness).toHaveLength(2);
    chain.submit(funding.tx);
    // Its inputs are spent: only the other coin is confirmed and spendable (besides the funding change, pending).
    await expectCode(wallet.send(EXTERNAL_SCRIPT, 30_000_000n, 1000, { allowUnconfirmedChange: false }), 'insufficient_funds');
    await mine();
    // Spend the channel output cooperatively: proves the script and amount are what the channel expects.
    const witnessScript = fundingScript(localPub, remotePub);
    const close: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: outPoint(funding.txid, index), sequence: 0xffffffff }], outputs: [{ script: EXTERNAL_SCRIPT, amount: 49_990_000n }] };
    const sigs = [localKey, remoteKey].map((k) => witnessSignature(signSegwitInput(close, 0, witnessScript, output.amount, k)));
    const ordered = fundingKeyIsFirst(localPub, remotePub) ? sigs : [sigs[1]!, sigs[0]!];
    chain.submit(withWitness(close, 0, [new Uint8Array(0), ...ordered, witnessScript]));
    await mine();
  });

  test('a batch funds several channels, and abandoning a funding transaction frees its coins', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(1n * BTC);
    await mine();
    const outputs = [1, 2, 3].map((n) => ({ script: p2wsh(Uint8Array.of(0x50 + n)), amountSat: 10_000_000n * BigInt(n) }));
    const batch = await wallet.createFundingTransaction(outputs, 2000);
    expect(batch.outputIndexes.map((i) => batch.tx.outputs[i]!.amount)).toEqual([10_000_000n, 20_000_000n, 30_000_000n]);
    chain.validate(batch.tx);
    await expectCode(wallet.bumpFee(batch.txid, 5000), 'not_replaceable');
    expect(wallet.balances().confirmedSat).toBe(0n);
    await wallet.abandonTransaction(batch.txid);
    expect(wallet.balances().confirmedSat).toBe(1n * BTC);
    expect(wallet.getTransaction(batch.txid)).toBeUndefined();
  });
});

describe('fee bumping', () => {
  test('RBF replaces a payment (rule 4 fee), adds inputs when the change cannot pay, and bumps a sendAll', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(100_000n);
    await receive(1n * BTC);
    await mine();
    const original = await wallet.send(EXTERNAL_SCRIPT, 99_000n, 253, {});
    chain.submit(original.tx);
    await expectCode(wallet.bumpFee(original.txid, 253), 'fee_too_low');
    const bumped = await wallet.bumpFee(original.txid, 5000);
    expect(bumped.feeSat).toBeGreaterThanOrEqual(original.feeSat + BigInt(Math.ceil((250 * bumped.weight) / 1000)));
    chain.submit(bumped.tx);
    expect(chain.mempool).toHaveLength(1);
    expect(wallet.getTransaction(original.txid)).toBeUndefined();
    expect(bumped.tx.outputs.some((o) => o.amount === 99_000n && equalBytes(o.script, EXTERNAL_SCRIPT))).toBe(true);
    await mine();
    expect(wallet.getTransaction(bumped.txid)?.confirmed).toBe(true);
    await expectCode(wallet.bumpFee(bumped.txid, 10_000), 'not_replaceable');

    const drain = await wallet.sendAll(EXTERNAL_SCRIPT, 300);
    chain.submit(drain.tx);
    const drainBumped = await wallet.bumpFee(drain.txid, 3000);
    expect(drainBumped.tx.outputs).toHaveLength(1);
    expect(drainBumped.tx.outputs[0]!.amount).toBeLessThan(drain.tx.outputs[0]!.amount);
    chain.submit(drainBumped.tx);
    await mine();
    expect(wallet.balances().totalSat).toBe(0n);
  });

  test('a replacement that the change cannot pay takes another confirmed coin', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(50_000n);
    await receive(60_000n);
    await mine();
    // Changeless: the 60,000 coin alone.
    const original = await wallet.send(EXTERNAL_SCRIPT, 59_800n, 253);
    expect(original.tx.inputs).toHaveLength(1);
    chain.submit(original.tx);
    const bumped = await wallet.bumpFee(original.txid, 2000);
    expect(bumped.tx.inputs).toHaveLength(2);
    chain.submit(bumped.tx);
    await mine();
    expect(wallet.listTransactions().filter((t) => t.origin === 'send')).toHaveLength(1);
  });

  test('the original confirming instead of the replacement evicts the replacement', async () => {
    const { wallet, mine, receive } = await setup();
    await receive(1n * BTC);
    await mine();
    const original = await wallet.send(EXTERNAL_SCRIPT, 10_000_000n, 300);
    const bumped = await wallet.bumpFee(original.txid, 3000);
    // A miner had the original.
    await mine([original.tx]);
    expect(wallet.getTransaction(bumped.txid)).toBeUndefined();
    expect(wallet.getTransaction(original.txid)?.confirmed).toBe(true);
    expect(wallet.balances().confirmedSat).toBe(1n * BTC - 10_000_000n - original.feeSat);
  });
});

describe('WalletSource', () => {
  test('signs its inputs of a transaction that also spends a P2WSH it does not own, and reserves them', async () => {
    const { wallet, chain, mine, receive, faucet } = await setup();
    await receive(30_000_000n);
    await receive(40_000_000n);
    // The "anchor": a P2WSH `<key> OP_CHECKSIG` held by the test.
    const anchorKey = sha256(Uint8Array.of(9));
    const anchorScript = script(publicKeyFromPrivate(anchorKey), op(OP.OP_CHECKSIG));
    const anchorTx = faucet.pay([{ script: p2wsh(anchorScript), amount: 330n }]);
    chain.submit(anchorTx);
    await mine();
    const utxos = await wallet.listConfirmedUtxos();
    expect(utxos.map((u) => u.satisfactionWeight)).toEqual([113, 113]);
    const ours = utxos.find((u) => u.output.valueSat === 30_000_000n)!;
    const change = await wallet.getChangeScript();
    const unsigned: Tx = {
      version: 2,
      locktime: 0,
      inputs: [
        { previousOutput: outPoint(txidOf(anchorTx), 0), sequence: 0xfffffffd },
        { previousOutput: ours.outpoint, sequence: 0xfffffffd },
      ],
      outputs: [{ script: change, amount: 30_000_000n + 330n - 5_000n }],
    };
    const signed = await wallet.signTransaction(unsigned, [ours]);
    expect(signed.inputs[0]!.witness).toBeUndefined();
    expect(signed.inputs[1]!.witness).toHaveLength(2);
    const anchorSig = witnessSignature(signSegwitInput(signed, 0, anchorScript, 330n, anchorKey, SIGHASH_ALL));
    const complete = withWitness(signed, 0, [anchorSig, anchorScript]);
    expect(txidOf(complete)).toEqual(txidOf(unsigned));
    chain.submit(complete);
    // The reserved coin is not used by the wallet's own payments.
    const pay = await wallet.send(EXTERNAL_SCRIPT, 1_000_000n, 1000);
    expect(pay.tx.inputs.map((i) => outPointKey(i.previousOutput))).not.toContain(outPointKey(ours.outpoint));
    expect(wallet.listUtxos().find((u) => outPointKey(u.outpoint) === outPointKey(ours.outpoint))?.reserved).toBe(true);
    chain.submit(pay.tx);
    await mine();
    // Confirmed: the reservation is gone with the coin, and the CPFP change is the wallet's.
    expect(wallet.listUtxos().some((u) => u.reserved)).toBe(false);
    expect(wallet.listUtxos().some((u) => u.valueSat === 30_000_000n + 330n - 5_000n)).toBe(true);
    // A caller describing a wallet output wrongly is refused.
    const [any] = await wallet.listConfirmedUtxos();
    await expectCode(
      wallet.signTransaction({ ...unsigned, inputs: [{ previousOutput: any!.outpoint, sequence: 0 }] }, [{ ...any!, output: { ...any!.output, valueSat: any!.output.valueSat + 1n } }]),
      'utxo_mismatch',
    );
  });

  test('a reservation lapses after reservationBlocks without confirmation', async () => {
    const { wallet, mine, receive } = await setup({ reservationBlocks: 3 });
    await receive(10_000_000n);
    await mine();
    const [utxo] = await wallet.listConfirmedUtxos();
    const tx: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: utxo!.outpoint, sequence: 0 }], outputs: [{ script: EXTERNAL_SCRIPT, amount: 9_000_000n }] };
    await wallet.signTransaction(tx, [utxo!]);
    expect(wallet.balances().spendableSat).toBe(0n);
    for (let i = 0; i < 3; i++) await mine([]);
    expect(wallet.balances().spendableSat).toBe(0n);
    await mine([]);
    expect(wallet.balances().spendableSat).toBe(10_000_000n);
  });
});

describe('reorganizations', () => {
  test('a one-block reorg undoes and redoes a receipt and a spend', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(1n * BTC);
    await mine();
    const sent = await wallet.send(EXTERNAL_SCRIPT, 10_000_000n, 1000);
    chain.submit(sent.tx);
    await mine();
    const settled = wallet.balances();
    const gone = chain.disconnect();
    await wallet.blockDisconnected(gone.header, gone.height);
    // The spend is pending again (its change trusted), the receipt still confirmed.
    expect(wallet.getTransaction(sent.txid)).toMatchObject({ confirmed: false });
    expect(wallet.balances().trustedPendingSat).toBe(settled.confirmedSat);
    const again = chain.disconnect();
    await wallet.blockDisconnected(again.header, again.height);
    // Now the receipt is unconfirmed too, and not trusted: the change built on it is not either, nothing is spendable.
    expect(wallet.balances()).toMatchObject({ confirmedSat: 0n, spendableSat: 0n, untrustedPendingSat: settled.confirmedSat, trustedPendingSat: 0n });
    expect(wallet.listUtxos()).toHaveLength(1);
    // The new branch confirms the receipt, then the spend (its locktime, the old tip, keeps it out of the first block).
    const [receiptTx, spendTx] = chain.mempool.splice(0);
    await mine([receiptTx!]);
    expect(wallet.balances()).toMatchObject({ confirmedSat: 0n, trustedPendingSat: settled.confirmedSat });
    await mine([spendTx!]);
    expect(wallet.balances()).toEqual(settled);
  });

  test('a three-block reorg whose new branch double-spends a receipt drops it, and a reorged coinbase disappears', async () => {
    const { wallet, chain, mine, faucet } = await setup();
    const script = addressToScript(await wallet.newAddress(), 'regtest');
    const receipt = faucet.pay([{ script, amount: 2n * BTC }]);
    chain.submit(receipt);
    await mine();
    const coinbaseBlock = chain.mine(script, []);
    await wallet.blockConnected(coinbaseBlock, chain.height);
    const second = faucet.pay([{ script, amount: 1n * BTC }], 1000n, true);
    chain.submit(second);
    await mine();
    expect(wallet.balances()).toMatchObject({ confirmedSat: 3n * BTC, immatureSat: 50n * BTC });
    for (let i = 0; i < 3; i++) {
      const gone = chain.disconnect();
      await wallet.blockDisconnected(gone.header, gone.height);
    }
    expect(wallet.bestBlock?.height).toBe(chain.height);
    expect(wallet.balances()).toMatchObject({ confirmedSat: 0n, immatureSat: 0n, untrustedPendingSat: 3n * BTC });
    // The new branch: `receipt`'s faucet coin goes elsewhere; `second` spends receipt's faucet change, so it goes too.
    chain.mempool.length = 0;
    const doubleSpend: Tx = { ...receipt, outputs: [{ script: p2wsh(Uint8Array.of(0x53)), amount: receipt.outputs.reduce((s, o) => s + o.amount, 0n) }] };
    await mine([doubleSpend]);
    await mine([]);
    await mine([]);
    expect(wallet.balances()).toMatchObject({ confirmedSat: 0n, immatureSat: 0n, untrustedPendingSat: 0n, totalSat: 0n });
    expect(wallet.listTransactions()).toHaveLength(0);
  });

  test('two-block reorg: a spend of the wallet moves to another block of the new branch', async () => {
    const { wallet, chain, mine, receive } = await setup();
    await receive(1n * BTC);
    await mine();
    const sent = await wallet.send(EXTERNAL_SCRIPT, 5_000_000n, 1000);
    chain.submit(sent.tx);
    await mine();
    await mine([]);
    const heightBefore = wallet.getTransaction(sent.txid)!.height!;
    for (let i = 0; i < 2; i++) {
      const gone = chain.disconnect();
      await wallet.blockDisconnected(gone.header, gone.height);
    }
    chain.mempool.length = 0;
    await mine([]);
    await mine([sent.tx]);
    expect(wallet.getTransaction(sent.txid)).toMatchObject({ confirmed: true, height: heightBefore + 1 });
    expect(wallet.balances().confirmedSat).toBe(1n * BTC - 5_000_000n - sent.feeSat);
  });
});

describe('persistence', () => {
  test('a wallet restarted from its store has the same coins, transactions, addresses, tip and reservations', async () => {
    const { wallet, chain, mine, receive, store } = await setup();
    await receive(1n * BTC);
    await receive(30_000_000n);
    await mine();
    const pending = await wallet.send(EXTERNAL_SCRIPT, 10_000_000n, 1000);
    const [utxo] = (await wallet.listConfirmedUtxos()).filter((u) => !pending.tx.inputs.some((i) => outPointKey(i.previousOutput) === outPointKey(u.outpoint)));
    await wallet.signTransaction({ version: 2, locktime: 0, inputs: [{ previousOutput: utxo!.outpoint, sequence: 0 }], outputs: [{ script: EXTERNAL_SCRIPT, amount: 1000n }] }, [utxo!]);
    await mine([]);
    const restarted = await Wallet.load({ seed: { mnemonic: MNEMONIC }, network: 'regtest', store });
    expect(restarted.balances()).toEqual(wallet.balances());
    expect(restarted.listUtxos()).toEqual(wallet.listUtxos());
    expect(restarted.listTransactions().map((t) => toHex(t.txid))).toEqual(wallet.listTransactions().map((t) => toHex(t.txid)));
    expect(restarted.bestBlock).toEqual(wallet.bestBlock);
    expect(await restarted.newAddress()).toBe(wallet.peekAddress(2));
    // It carries on from the tip.
    chain.submit(pending.tx);
    const block = chain.mine();
    await restarted.blockConnected(block, chain.height);
    expect(restarted.getTransaction(pending.txid)?.confirmed).toBe(true);
  });

  test('another seed, account or network cannot open the store', async () => {
    const { store } = await setup();
    await expectCode(Wallet.load({ seed: { mnemonic: OTHER_MNEMONIC }, network: 'regtest', store }), 'chain_mismatch');
    await expectCode(Wallet.load({ seed: { mnemonic: MNEMONIC }, network: 'signet', store }), 'chain_mismatch');
  });

  test('a write that fails rejects the call and nothing is broadcast', async () => {
    const { wallet, mine, receive, broadcaster, store } = await setup();
    await receive(1n * BTC);
    await mine();
    const sentBefore = broadcaster.sent.length;
    store.write = async () => {
      throw new Error('disk full');
    };
    await expect(wallet.send(EXTERNAL_SCRIPT, 1_000_000n, 1000)).rejects.toThrow('disk full');
    expect(broadcaster.sent.length).toBe(sentBefore);
  });
});

describe('Confirm', () => {
  test('follows relevant transactions only, registers scripts, outputs and pending transactions with the Filter', async () => {
    const chain = new MiniChain();
    const faucet = new Faucet(chain);
    faucet.fund(2);
    const filter = new RecordingFilter();
    const wallet = await openWallet(chain, { filter });
    // Receive and change windows: 20 scripts each.
    expect(filter.scripts).toHaveLength(40);
    const script = addressToScript(await wallet.newAddress(), 'regtest');
    expect(filter.scripts).toHaveLength(41);
    const receipt = faucet.pay([{ script, amount: 1n * BTC }]);
    chain.submit(receipt);
    const block = chain.mine();
    const relevant = block.transactions.filter((t) => equalBytes(t.txid, txidOf(receipt)));
    await wallet.transactionsConfirmed(block.header, relevant, chain.height);
    await wallet.bestBlockUpdated(block.header, chain.height);
    expect(wallet.balances().confirmedSat).toBe(1n * BTC);
    expect(filter.outputs.map((o) => outPointKey(o.outpoint))).toEqual([outPointKey(outPoint(txidOf(receipt), 0))]);
    expect(wallet.getRelevantTxids()).toEqual([{ txid: txidOf(receipt), height: chain.height, blockHash: block.hash }]);
    const sent = await wallet.send(EXTERNAL_SCRIPT, 10_000_000n, 1000);
    expect(filter.txs.map((t) => toHex(t.txid))).toEqual([toHex(sent.txid)]);
    await wallet.transactionUnconfirmed(txidOf(receipt));
    expect(wallet.balances().confirmedSat).toBe(0n);
    expect(wallet.getRelevantTxids()).toEqual([]);
    // A transaction of no interest to the wallet changes nothing.
    await wallet.transactionsConfirmed(block.header, block.transactions.slice(0, 1), chain.height);
    expect(wallet.listTransactions()).toHaveLength(2);
  });
});

test('BIP 84: the fixed mnemonic gives the BIP\'s first receive address on mainnet', async () => {
  const wallet = await Wallet.load({ seed: { mnemonic: MNEMONIC }, network: 'bitcoin', store: new MemoryKVStore() });
  expect(wallet.peekAddress(0)).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu');
  expect(wallet.peekAddress(1)).toBe('bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g');
  expect(wallet.peekAddress(0, 1)).toBe('bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el');
  expect(wallet.isMine(p2wpkhScript(new Uint8Array(33).fill(2)))).toBe(false);
});
