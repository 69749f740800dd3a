// The in-process chain the LDK tests run on must refuse what bitcoind would
// refuse (for the reasons that matter to Lightning: scripts, amounts, double
// spends, absolute and relative locktimes) and mine real blocks.
import { describe, expect, test } from '@jest/globals';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { type Tx, checkBlockCommitments, decodeBlock, encodeTx, meetsProofOfWork, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput } from 'ln-tx';
import { CHAIN_HASHES, type OutPoint, equalBytes, utf8ToBytes } from 'ln-types';
import { type ChainBlock, LdkNodeError, TestChain } from '../src/index.js';

const secret = sha256(utf8ToBytes('test-chain key'));
const pub = publicKeyFromPrivate(secret);
const script = p2wpkh(pub);

function spend(chain: TestChain, from: OutPoint, outputs: Tx['outputs'], opts: { sequence?: number; locktime?: number; version?: number } = {}): Uint8Array {
  const coin = chain.getCoin(from)!;
  const unsigned: Tx = { version: opts.version ?? 2, locktime: opts.locktime ?? 0, inputs: [{ previousOutput: from, sequence: opts.sequence ?? 0xfffffffd }], outputs };
  const sig = signSegwitInput(unsigned, 0, p2pkh(pub), coin.output.amount, secret);
  return encodeTx({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness: p2wpkhWitness(sig, pub) }] });
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LdkNodeError);
    return (e as LdkNodeError).message;
  }
  throw new Error('expected a refusal');
}

describe('TestChain', () => {
  test('starts at the regtest genesis block and mines valid regtest blocks', () => {
    const chain = new TestChain();
    expect(equalBytes(chain.blockAt(0).hash, CHAIN_HASHES.regtest)).toBe(true);
    expect(chain.height).toBe(1);
    const funded = chain.fund(script, 50_000n);
    const [block] = chain.mine(1);
    const decoded = decodeBlock(block!.raw);
    checkBlockCommitments(decoded);
    expect(meetsProofOfWork(decoded.hash, decoded.header.bits)).toBe(true);
    expect(equalBytes(decoded.header.prevBlockHash, chain.blockAt(1).hash)).toBe(true);
    expect(chain.confirmations(funded.txid)).toBe(1);
    expect(chain.getCoin(funded)?.height).toBe(2);
  });

  test('accepts a valid spend and refuses a bad signature, missing inputs, inflation and double spends', () => {
    const chain = new TestChain();
    const coin = chain.fund(script, 100_000n);
    chain.mine(1);
    const good = spend(chain, coin, [{ script, amount: 99_000n }]);
    const late = spend(chain, coin, [{ script, amount: 90_000n }]);
    // Tamper with the last byte of the signature's DER (before the sighash byte).
    const tx = encodeTx(((): Tx => {
      const unsigned: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: coin, sequence: 0xfffffffd }], outputs: [{ script, amount: 99_000n }] };
      const sig = signSegwitInput(unsigned, 0, p2pkh(pub), 100_000n, secret);
      const witness = p2wpkhWitness(sig, pub);
      witness[0]![witness[0]!.length - 2]! ^= 1;
      return { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness }] };
    })());
    expect(refusal(() => chain.submit(tx))).toMatch(/script fails/);
    expect(refusal(() => chain.submit(spend(chain, coin, [{ script, amount: 100_001n }])))).toMatch(/exceed inputs/);
    chain.submit(good);
    // Same input, lower fee: refused; higher fee: replaces.
    expect(refusal(() => chain.submit(spend(chain, coin, [{ script, amount: 99_500n }])))).toMatch(/conflicts/);
    const replacement = spend(chain, coin, [{ script, amount: 98_000n }]);
    const replacementId = chain.submit(replacement);
    expect(chain.mempoolTxids().map((t) => equalBytes(t, replacementId))).toEqual([true]);
    chain.mine(1);
    expect(refusal(() => chain.submit(late))).toMatch(/missing or spent/);
  });

  test('enforces absolute locktimes and BIP 68 relative locks at the next height', () => {
    const chain = new TestChain();
    const coin = chain.fund(script, 100_000n);
    chain.mine(1); // coin confirmed at height 2
    const lockedTo = chain.height + 3;
    expect(refusal(() => chain.submit(spend(chain, coin, [{ script, amount: 99_000n }], { locktime: lockedTo })))).toMatch(/locktime/);
    expect(refusal(() => chain.submit(spend(chain, coin, [{ script, amount: 99_000n }], { sequence: 5 })))).toMatch(/relatively locked/);
    chain.mine(2);
    chain.submit(spend(chain, coin, [{ script, amount: 99_000n }], { locktime: lockedTo - 1 }));
    const other = chain.fund(script, 10_000n);
    chain.mine(1);
    // Version 1 transactions ignore BIP 68.
    chain.submit(spend(chain, other, [{ script, amount: 9_000n }], { sequence: 5, version: 1 }));
  });

  test('reorganizations disconnect blocks tip first and put their transactions back', () => {
    const chain = new TestChain();
    const seen: string[] = [];
    chain.subscribe({ blockConnected: (b: ChainBlock) => seen.push(`+${b.height}`), blockDisconnected: (b: ChainBlock) => seen.push(`-${b.height}`) });
    const coin = chain.fund(script, 100_000n);
    chain.mine(1);
    const child = chain.submit(spend(chain, coin, [{ script, amount: 99_000n }]));
    chain.mine(2);
    expect(chain.confirmations(child)).toBe(2);
    chain.reorg(2);
    expect(seen).toEqual(['+2', '+3', '+4', '-4', '-3']);
    expect(chain.inMempool(child)).toBe(true);
    chain.reorg(1, [coin.txid]);
    expect(chain.inMempool(child)).toBe(false);
    expect(chain.inMempool(coin.txid)).toBe(false);
  });
});
