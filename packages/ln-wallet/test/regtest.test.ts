// The wallet against ln-regtest in process: a chain that validates every
// transaction with bitcoind 28's consensus and relay rules and every input's
// script with an independent interpreter. Each transaction the wallet builds
// must enter its mempool and be mined; blocks reach the wallet through a small
// sync loop (what ln-chain-source's driver does: disconnect to the fork point,
// then connect), and through Confirm for the light-client path.
import { afterEach, describe, expect, test } from '@jest/globals';
import nativeSecp from 'secp256k1';
import { createNativeSecp256k1Backend, publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { MemoryKVStore, type KVStore, outPoint, outPointKey, reverseBytes, toHex, txidFromHex, txidToHex } from 'ln-types';
import type { BroadcasterInterface } from 'ln-chain-api';
import { type Tx, OP, SIGHASH_ALL, encodeTx, fundingKeyIsFirst, fundingOutput, fundingScript, op, p2wsh, script, signSegwitInput, txidOf, witnessSignature, withWitness } from 'ln-tx';
import { type BlockEntry, Regtest } from 'ln-regtest';
import { Wallet, WalletError, addressToScript, type WalletConfig } from '../src/index.js';
import { MNEMONIC, RecordingFilter } from './helpers/fixtures.js';

const backend = createNativeSecp256k1Backend(nativeSecp);
const BTC = 100_000_000n;
const EXTERNAL = p2wsh(Uint8Array.of(0x52));

/** Broadcasts into the regtest mempool; rejections are kept (a broadcaster never throws). */
class RegtestBroadcaster implements BroadcasterInterface {
  readonly rejected: { txid: string; error: string }[] = [];
  constructor(private readonly node: Regtest) {}
  broadcastTransactions(transactions: readonly Tx[]): void {
    for (const tx of transactions) {
      try {
        this.node.sendRawTransaction(encodeTx(tx));
      } catch (error) {
        this.rejected.push({ txid: txidToHex(txidOf(tx)), error: String(error) });
      }
    }
  }
}

interface Harness {
  node: Regtest;
  wallet: Wallet;
  store: KVStore;
  broadcaster: RegtestBroadcaster;
  seen: BlockEntry[];
  sync(): Promise<void>;
  /** Mines `n` blocks (the mempool goes into the first) and syncs the wallet. */
  mine(n?: number): Promise<void>;
  /** A faucet payment to a wallet address (or script), not yet mined. */
  fund(amount: bigint, to?: string | Uint8Array): Promise<string>;
  inMempool(txid: Uint8Array): boolean;
  reopen(): Promise<Wallet>;
}

const open: Regtest[] = [];
afterEach(() => {
  for (const n of open.splice(0)) n.close();
});

async function harness(extra: Partial<WalletConfig> = {}): Promise<Harness> {
  const node = Regtest.open();
  open.push(node);
  node.mine(101);
  const broadcaster = new RegtestBroadcaster(node);
  const store = new MemoryKVStore();
  const config: WalletConfig = { seed: { mnemonic: MNEMONIC }, network: 'regtest', store, broadcaster, backend, birthday: { blockHash: node.tip.hash, height: node.height }, ...extra };
  const h: Harness = {
    node,
    store,
    broadcaster,
    wallet: await Wallet.load(config),
    seen: [node.tip],
    async sync() {
      // Back to the fork point, tip first, then forward on the active chain.
      while (h.seen.length > 0 && node.chain.atHeight(h.seen.at(-1)!.height)?.key !== h.seen.at(-1)!.key) {
        const gone = h.seen.pop()!;
        await h.wallet.blockDisconnected(gone.block.header, gone.height);
      }
      for (let height = h.seen.at(-1)!.height + 1; height <= node.height; height++) {
        const entry = node.chain.atHeight(height)!;
        await h.wallet.blockConnected(entry.block, height);
        h.seen.push(entry);
      }
    },
    async mine(n = 1) {
      node.mine(n);
      await h.sync();
    },
    async fund(amount, to) {
      const target = to ?? (await h.wallet.newAddress());
      return node.faucetPay(typeof target === 'string' ? addressToScript(target, 'regtest') : target, amount);
    },
    inMempool(txid) {
      return node.findTx(toHex(reverseBytes(txid)))?.mempool !== undefined;
    },
    async reopen() {
      // No birthday: the store has the wallet, and the tip in it.
      const { birthday: _birthday, ...withoutBirthday } = config;
      h.wallet = await Wallet.load(withoutBirthday);
      return h.wallet;
    },
  };
  return h;
}

describe('ln-wallet on ln-regtest', () => {
  test('funded from the faucet: receipts to fresh addresses and beyond the handed-out window, payment with change, spending unconfirmed change, sendAll', async () => {
    const h = await harness();
    await h.fund(1n * BTC);
    await h.fund(2n * BTC, h.wallet.peekAddress(12));
    await h.mine();
    // 12 moved the window to 32: a payment to 30 is seen too.
    await h.fund(3n * BTC, h.wallet.peekAddress(30));
    await h.mine();
    expect(h.wallet.balances()).toMatchObject({ confirmedSat: 6n * BTC, totalSat: 6n * BTC });

    const pay = await h.wallet.send(EXTERNAL, 150_000_000n, 2000);
    expect(h.inMempool(pay.txid)).toBe(true);
    expect(pay.changeIndex).toBeDefined();
    const fee = h.node.feeOf(h.node.findTx(txidToHex(pay.txid))!.info)!;
    expect(fee).toBe(pay.feeSat);
    // Unconfirmed change spent before it confirms: nothing short of every coin left, change included, pays 4.49 BTC.
    const chained = await h.wallet.send(EXTERNAL, 449_000_000n, 1000);
    expect(h.inMempool(chained.txid)).toBe(true);
    expect(chained.tx.inputs.some((i) => txidToHex(i.previousOutput.txid) === txidToHex(pay.txid))).toBe(true);
    await h.mine();
    expect(h.wallet.getTransaction(chained.txid)?.confirmed).toBe(true);

    const all = await h.wallet.sendAll(EXTERNAL, 1500);
    expect(h.inMempool(all.txid)).toBe(true);
    await h.mine();
    expect(h.wallet.balances().totalSat).toBe(0n);
    expect(h.broadcaster.rejected).toEqual([]);
  });

  test('a coinbase paid to the wallet matures at 101 confirmations and is then spent', async () => {
    const h = await harness();
    h.node.mine(1, addressToScript(await h.wallet.newAddress(), 'regtest'));
    await h.sync();
    expect(h.wallet.balances().immatureSat).toBeGreaterThan(0n);
    await h.mine(99);
    await expect(h.wallet.send(EXTERNAL, 1_000_000n, 1000)).rejects.toThrow(WalletError);
    await h.mine(1);
    const spend = await h.wallet.send(EXTERNAL, 1_000_000n, 1000);
    expect(h.inMempool(spend.txid)).toBe(true);
  });

  test('a funding transaction for a 2-of-2 is accepted and mined, and both keys spend its output; a batch funds three', async () => {
    const h = await harness();
    await h.fund(1n * BTC);
    await h.fund(50_000_000n);
    await h.mine();
    const [localKey, remoteKey] = [sha256(Uint8Array.of(1)), sha256(Uint8Array.of(2))];
    const [localPub, remotePub] = [publicKeyFromPrivate(localKey), publicKeyFromPrivate(remoteKey)];
    const output = fundingOutput(localPub, remotePub, 1_000_000n);
    const funding = await h.wallet.createFundingTransaction({ script: output.script, amountSat: output.amount }, 253);
    expect(h.inMempool(funding.txid)).toBe(false);
    h.node.sendRawTransaction(encodeTx(funding.tx));
    await h.mine();
    const index = funding.outputIndexes[0]!;
    const witnessScript = fundingScript(localPub, remotePub);
    const close: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: outPoint(funding.txid, index), sequence: 0xffffffff }], outputs: [{ script: await h.wallet.getDestinationScript(), amount: 990_000n }] };
    const sigs = [localKey, remoteKey].map((k) => witnessSignature(signSegwitInput(close, 0, witnessScript, output.amount, k)));
    const ordered = fundingKeyIsFirst(localPub, remotePub) ? sigs : [sigs[1]!, sigs[0]!];
    h.node.sendRawTransaction(encodeTx(withWitness(close, 0, [new Uint8Array(0), ...ordered, witnessScript])));
    await h.mine();
    // The cooperative close paid the wallet's destination script: it is the wallet's.
    expect(h.wallet.listUtxos().some((u) => u.valueSat === 990_000n && u.chain === 1)).toBe(true);

    const batch = await h.wallet.createFundingTransaction(
      [1, 2, 3].map((n) => ({ script: p2wsh(Uint8Array.of(0x50 + n)), amountSat: 1_000_000n * BigInt(n) })),
      1000,
    );
    h.node.sendRawTransaction(encodeTx(batch.tx));
    await h.mine();
    expect(h.wallet.getTransaction(batch.txid)?.confirmed).toBe(true);
  });

  test('RBF: the replacement is accepted by the mempool and mined; a sendAll is bumped too', async () => {
    const h = await harness();
    await h.fund(1n * BTC);
    await h.fund(30_000n);
    await h.mine();
    const original = await h.wallet.send(EXTERNAL, 40_000_000n, 253);
    expect(h.inMempool(original.txid)).toBe(true);
    const bumped = await h.wallet.bumpFee(original.txid, 5000);
    expect(h.inMempool(bumped.txid)).toBe(true);
    expect(h.inMempool(original.txid)).toBe(false);
    await h.mine();
    expect(h.wallet.getTransaction(bumped.txid)?.confirmed).toBe(true);
    expect(h.wallet.getTransaction(original.txid)).toBeUndefined();

    const drain = await h.wallet.sendAll(EXTERNAL, 300);
    const drainBumped = await h.wallet.bumpFee(drain.txid, 2500);
    expect(h.inMempool(drainBumped.txid)).toBe(true);
    await h.mine();
    expect(h.wallet.balances().totalSat).toBe(0n);
    expect(h.broadcaster.rejected).toEqual([]);
  });

  test('WalletSource: a transaction spending a wallet coin and a P2WSH of the test, signed by both, is accepted (a CPFP-style child)', async () => {
    const h = await harness();
    await h.fund(20_000_000n);
    const anchorKey = sha256(Uint8Array.of(42));
    const anchorScript = script(publicKeyFromPrivate(anchorKey), op(OP.OP_CHECKSIG));
    const anchorTxid = h.node.faucetPay(p2wsh(anchorScript), 10_000n);
    await h.mine();
    const anchorTx = h.node.findTx(anchorTxid)!.info.tx;
    const anchorIndex = anchorTx.outputs.findIndex((o) => o.amount === 10_000n);
    const [utxo] = await h.wallet.listConfirmedUtxos();
    const unsigned: Tx = {
      version: 2,
      locktime: 0,
      inputs: [
        { previousOutput: outPoint(txidFromHex(anchorTxid), anchorIndex), sequence: 0xfffffffd },
        { previousOutput: utxo!.outpoint, sequence: 0xfffffffd },
      ],
      outputs: [{ script: await h.wallet.getChangeScript(), amount: 20_000_000n + 10_000n - 3_000n }],
    };
    const signed = await h.wallet.signTransaction(unsigned, [utxo!]);
    const anchorSig = witnessSignature(signSegwitInput(signed, 0, anchorScript, 10_000n, anchorKey, SIGHASH_ALL));
    const complete = withWitness(signed, 0, [anchorSig, anchorScript]);
    h.node.sendRawTransaction(encodeTx(complete));
    // Reserved: the wallet's own payments cannot use it meanwhile.
    await expect(h.wallet.send(EXTERNAL, 1_000_000n, 1000)).rejects.toMatchObject({ code: 'insufficient_funds' });
    await h.mine();
    expect(h.wallet.balances().confirmedSat).toBe(20_000_000n + 10_000n - 3_000n);
  });

  test.each([1, 2, 3])('a reorg of %i block(s) undoes and redoes a receipt and a spend', async (depth) => {
    const h = await harness();
    await h.fund(1n * BTC);
    await h.mine();
    const spend = await h.wallet.send(EXTERNAL, 10_000_000n, 1000);
    await h.mine(depth - 1 || 1);
    const settled = h.wallet.balances();
    expect(settled.confirmedSat).toBe(1n * BTC - 10_000_000n - spend.feeSat);
    // A new branch of the same length without the wallet's transactions (depth 1: only the spend's block;
    // deeper: the receipt's too): they are pending again.
    h.node.reorg(depth, { includeMempool: false });
    await h.sync();
    expect(h.wallet.bestBlock?.height).toBe(h.node.height);
    expect(h.wallet.getTransaction(spend.txid)?.confirmed).toBe(false);
    if (depth === 1) expect(h.wallet.balances()).toMatchObject({ confirmedSat: 0n, trustedPendingSat: settled.confirmedSat, spendableSat: settled.confirmedSat });
    else expect(h.wallet.balances()).toMatchObject({ confirmedSat: 0n, spendableSat: 0n, untrustedPendingSat: settled.confirmedSat });
    // The chain mines them again: confirmed, the same coins.
    await h.mine();
    expect(h.wallet.balances()).toEqual(settled);
    expect(h.wallet.getTransaction(spend.txid)?.confirmed).toBe(true);
    expect(h.broadcaster.rejected.filter((r) => !r.error.includes('already'))).toEqual([]);
  });

  test('a restart from the store carries on: coins, pending transactions, handed-out addresses, the tip', async () => {
    const h = await harness();
    await h.fund(1n * BTC);
    await h.mine();
    const pending = await h.wallet.send(EXTERNAL, 10_000_000n, 1000);
    const before = { balances: h.wallet.balances(), utxos: h.wallet.listUtxos(), tip: h.wallet.bestBlock, next: h.wallet.peekAddress(1) };
    const restarted = await h.reopen();
    expect(restarted.balances()).toEqual(before.balances);
    expect(restarted.listUtxos()).toEqual(before.utxos);
    expect(restarted.bestBlock).toEqual(before.tip);
    expect(await restarted.newAddress()).toBe(before.next);
    await h.fund(5_000_000n, before.next);
    await h.mine(2);
    expect(restarted.getTransaction(pending.txid)?.confirmations).toBe(2);
    expect(restarted.balances().confirmedSat).toBe(1n * BTC - 10_000_000n - pending.feeSat + 5_000_000n);
    expect(restarted.listUtxos().map((u) => outPointKey(u.outpoint)).length).toBe(2);
  });

  test('Confirm: fed only the transactions its Filter registrations name, as an Esplora-style client would', async () => {
    const node = Regtest.open();
    open.push(node);
    node.mine(101);
    const filter = new RecordingFilter();
    const wallet = await Wallet.load({ seed: { mnemonic: MNEMONIC }, network: 'regtest', store: new MemoryKVStore(), filter, backend });
    const watchedScripts = () => new Set(filter.scripts.map(toHex));
    const watchedOutpoints = () => new Set(filter.outputs.map((o) => outPointKey(o.outpoint)));
    // A light client: report each new block's transactions that pay a registered script or spend a registered output.
    let synced = node.height;
    const syncConfirm = async () => {
      for (; synced < node.height; ) {
        const entry = node.chain.atHeight(++synced)!;
        const scripts = watchedScripts();
        const outpoints = watchedOutpoints();
        const relevant = entry.block.transactions.filter((t) => t.tx.outputs.some((o) => scripts.has(toHex(o.script))) || t.tx.inputs.some((i) => outpoints.has(outPointKey(i.previousOutput))));
        if (relevant.length > 0) await wallet.transactionsConfirmed(entry.block.header, relevant, entry.height);
      }
      await wallet.bestBlockUpdated(node.tip.block.header, node.height);
    };
    node.faucetPay(addressToScript(await wallet.newAddress(), 'regtest'), 1n * BTC);
    node.mine(1);
    await syncConfirm();
    expect(wallet.balances().confirmedSat).toBe(1n * BTC);
    const sent = await wallet.sendAll(EXTERNAL, 1000);
    expect(filter.txs.map((t) => toHex(t.txid))).toContain(toHex(sent.txid));
    node.sendRawTransaction(encodeTx(sent.tx));
    node.mine(1);
    await syncConfirm();
    expect(wallet.getTransaction(sent.txid)?.confirmed).toBe(true);
    expect(wallet.balances().totalSat).toBe(0n);
    // A reorg: the client tells the wallet what left the chain.
    const relevant = wallet.getRelevantTxids();
    node.reorg(1, { includeMempool: false });
    for (const r of relevant) if (node.findTx(txidToHex(r.txid))?.location === undefined) await wallet.transactionUnconfirmed(r.txid);
    synced = node.height - 1;
    await syncConfirm();
    expect(wallet.getTransaction(sent.txid)?.confirmed).toBe(false);
  });
});
