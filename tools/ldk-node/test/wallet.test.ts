// The built-in wallet: it finds its coins in blocks, funds transactions the
// chain accepts, signs its inputs of a PSBT (what LDK's fee bumps hand it) and
// survives export/import.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Transaction } from '@scure/btc-signer';
import { decodeTx, encodeTx, p2wsh } from 'ln-tx';
import { reverseBytes, toHex } from 'ln-types';
import { LdkNodeError, LdkWallet, RegtestChain, initLdk } from '../src/index.js';

const seed = new Uint8Array(32).fill(7);

describe('LdkWallet', () => {
  beforeAll(async () => {
    await initLdk();
  });

  test('learns coins from blocks, funds a transaction the chain accepts, forgets spent coins', () => {
    const chain = RegtestChain.create();
    const wallet = new LdkWallet(seed);
    chain.subscribe({ blockConnected: (b) => wallet.blockConnected(b.block, b.height), blockDisconnected: (b) => wallet.blockDisconnected(b.height) });
    chain.fund(wallet.newScript(), 60_000n);
    chain.fund(wallet.newScript(), 50_000n);
    expect(wallet.balance().spendableSat).toBe(0n);
    chain.mine(1);
    expect(wallet.balance()).toEqual({ spendableSat: 110_000n, unconfirmedSat: 0n, reservedSat: 0n });

    const target = p2wsh(Uint8Array.of(0x51));
    const funding = wallet.fundTransaction([{ script: target, amount: 100_000n }], 253);
    const tx = decodeTx(funding.raw);
    expect(tx.inputs.length).toBe(2);
    expect(funding.feeSat).toBeGreaterThan(0n);
    expect(funding.feeSat).toBeLessThan(1_000n);
    expect(wallet.balance().reservedSat).toBe(110_000n);
    chain.regtest.sendRawTransaction(funding.raw);
    chain.mine(1);
    const change = tx.outputs.find((o) => wallet.owns(o.script))!;
    expect(wallet.balance()).toEqual({ spendableSat: change.amount, unconfirmedSat: 0n, reservedSat: 0n });

    // A reorg brings the spent coins back, still reserved by the funding (back in the mempool).
    chain.reorg(1, { includeMempool: false });
    expect(wallet.balance()).toEqual({ spendableSat: 0n, unconfirmedSat: 0n, reservedSat: 110_000n });
    expect(chain.inMempool(funding.txid)).toBe(true);
  });

  test('refuses to overspend, and releases a discarded funding', () => {
    const chain = RegtestChain.create();
    const wallet = new LdkWallet(seed);
    chain.subscribe({ blockConnected: (b) => wallet.blockConnected(b.block, b.height), blockDisconnected: (b) => wallet.blockDisconnected(b.height) });
    chain.fund(wallet.newScript(), 10_000n);
    chain.mine(1);
    expect(() => wallet.fundTransaction([{ script: wallet.newScript(), amount: 10_000n }], 253)).toThrow(LdkNodeError);
    const f = wallet.fundTransaction([{ script: p2wsh(Uint8Array.of(0x51)), amount: 5_000n }], 253);
    expect(wallet.balance().spendableSat).toBe(0n);
    wallet.release(f.txid);
    expect(wallet.balance().spendableSat).toBe(10_000n);
  });

  test('signs only its own inputs of a PSBT, leaving the others for LDK', () => {
    const chain = RegtestChain.create();
    const wallet = new LdkWallet(seed);
    chain.subscribe({ blockConnected: (b) => wallet.blockConnected(b.block, b.height), blockDisconnected: () => undefined });
    const ourScript = wallet.newScript();
    const ours = chain.fund(ourScript, 40_000n);
    const foreign = chain.fund(p2wsh(Uint8Array.of(0x51)), 1_000n);
    chain.mine(1);
    const psbt = new Transaction({ allowUnknownOutputs: true, disableScriptCheck: true });
    psbt.addInput({ txid: reverseBytes(foreign.txid), index: foreign.index, witnessUtxo: { script: p2wsh(Uint8Array.of(0x51)), amount: 1_000n } });
    psbt.addInput({ txid: reverseBytes(ours.txid), index: ours.index, witnessUtxo: { script: ourScript, amount: 40_000n } });
    psbt.addOutput({ script: wallet.newScript(), amount: 40_500n });
    const signed = decodeTx(wallet.signPsbt(psbt.toPSBT()));
    expect(signed.inputs[0]!.witness ?? []).toEqual([]);
    expect(signed.inputs[1]!.witness!.length).toBe(2);
    // Complete the foreign input (OP_TRUE script: the witness script alone) and the chain accepts it.
    const complete = { ...signed, inputs: [{ ...signed.inputs[0]!, witness: [Uint8Array.of(0x51)] }, signed.inputs[1]!] };
    chain.regtest.sendRawTransaction(encodeTx(complete));
    expect(() => wallet.signPsbt(new Transaction({ allowUnknownOutputs: true }).toPSBT())).toThrow(LdkNodeError);
  });

  test('exports and imports its state', () => {
    const chain = RegtestChain.create();
    const wallet = new LdkWallet(seed);
    chain.subscribe({ blockConnected: (b) => wallet.blockConnected(b.block, b.height), blockDisconnected: () => undefined });
    chain.fund(wallet.newScript(), 12_345n);
    chain.mine(1);
    const copy = LdkWallet.fromState(seed, wallet.exportState());
    expect(copy.balance()).toEqual(wallet.balance());
    expect(toHex(copy.newScript())).toBe(toHex(wallet.newScript()));
  });
});
