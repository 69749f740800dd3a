// Core's script execution cache: what the mempool verified is not verified
// again when its block connects; what it never saw is verified in full; the
// cache stays within its bound.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { MANDATORY_SCRIPT_FLAGS, STANDARD_SCRIPT_FLAGS } from 'ln-script-verify';
import type { Tx } from 'ln-tx';
import { Regtest, RegtestError, type ScriptCacheStats } from '../src/index.js';
import { ScriptCache } from '../src/validation/scripts.js';
import { fund, raw, signP2wpkh, spend } from './builders.js';
import { testKey } from './helpers.js';

const alice = testKey(0x51);
const bob = testKey(0x52);
let node: Regtest;

beforeAll(() => {
  node = Regtest.open({ clock: () => 1_700_000_000 });
  node.mine(101);
});

const stats = (): ScriptCacheStats => node.chain.scriptCache.stats();
const delta = (before: ScriptCacheStats, after: ScriptCacheStats) => ({ hits: after.hits - before.hits, misses: after.misses - before.misses });

function payment(amount = 50_000n): { tx: Tx; bytes: Uint8Array } {
  const coin = fund(node, alice.script, amount);
  const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: amount - 1_000n }]), 0, alice, amount);
  return { tx, bytes: raw(tx) };
}

// The same spend with its signature's S replaced by n - S: valid by consensus, refused by policy (LOW_S).
function withHighS(tx: Tx): Uint8Array {
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const der = tx.inputs[0]!.witness![0]!;
  const rLen = der[3]!;
  const r = der.subarray(4, 4 + rLen);
  let s = 0n;
  for (const b of der.subarray(6 + rLen, 6 + rLen + der[5 + rLen]!)) s = (s << 8n) | BigInt(b);
  let hex = (N - s).toString(16).padStart(64, '0');
  while (hex.startsWith('00') && parseInt(hex.slice(2, 4), 16) < 0x80) hex = hex.slice(2);
  let sBytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  if (sBytes[0]! & 0x80) sBytes = Uint8Array.of(0, ...sBytes);
  const body = Uint8Array.of(0x02, r.length, ...r, 0x02, sBytes.length, ...sBytes);
  const sig = Uint8Array.of(0x30, body.length, ...body, der[der.length - 1]!);
  return raw({ ...tx, inputs: [{ ...tx.inputs[0]!, witness: [sig, tx.inputs[0]!.witness![1]!] }] });
}

describe('the script cache between mempool and blocks', () => {
  it('verifies a transaction once: on mempool acceptance, not again when its block connects', () => {
    const { bytes } = payment();
    const start = stats();
    // sendrawtransaction accepts twice, as bitcoind does (a test acceptance for the fee limit, then the real one): the second is a hit.
    node.sendRawTransaction(bytes);
    expect(delta(start, stats())).toEqual({ hits: 1, misses: 1 });
    const mined = stats();
    node.mine(1);
    expect(delta(mined, stats())).toEqual({ hits: 1, misses: 0 });
    expect(node.mempool.size).toBe(0);
  });

  it('verifies in full a transaction the mempool never accepted, and keeps a block with a bad signature out', () => {
    const { tx } = payment();
    // Valid by consensus but not standard: the mempool refuses it, so nothing is cached for it.
    const highS = withHighS(tx);
    expect(() => node.sendRawTransaction(highS)).toThrow(/non-mandatory-script-verify-flag/);
    const before = stats();
    const height = node.height;
    node.generateBlock(alice.script, [highS]);
    expect(node.height).toBe(height + 1);
    // TestBlockValidity ran the scripts with the consensus flags; connecting the block then found them.
    expect(delta(before, stats())).toEqual({ hits: 1, misses: 1 });

    // A signature over another amount: no block carrying it connects.
    const other = payment();
    const forged = signP2wpkh(spend({ outPoint: other.tx.inputs[0]!.previousOutput, amount: 50_000n, script: alice.script }, [{ script: bob.script, amount: 48_000n }]), 0, alice, 50_001n);
    const tip = node.tip.hashHex;
    expect(() => node.generateBlock(alice.script, [raw(forged)])).toThrow(RegtestError);
    expect(() => node.generateBlock(alice.script, [raw(forged)])).toThrow(/mandatory-script-verify-flag-failed/);
    expect(node.tip.hashHex).toBe(tip);
  });

  it('checks the same with bitcore-lib\'s own signature code', () => {
    const slow = Regtest.open({ clock: () => 1_700_000_000, signatures: 'bitcore' });
    slow.mine(101);
    const coin = fund(slow, alice.script, 30_000n);
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: 29_000n }]), 0, alice, 30_000n);
    const before = slow.chain.scriptCache.stats();
    slow.sendRawTransaction(raw(tx));
    slow.mine(1);
    expect(delta(before, slow.chain.scriptCache.stats())).toEqual({ hits: 2, misses: 1 });
    expect(() => Regtest.open({ signatures: 'openssl' as 'bitcore' })).toThrow(RegtestError);
  });
});

describe('ScriptCache', () => {
  it('answers for the flags an entry passed with and any subset of them', () => {
    const cache = new ScriptCache(10);
    cache.add('aa', STANDARD_SCRIPT_FLAGS);
    expect(cache.has('aa', MANDATORY_SCRIPT_FLAGS)).toBe(true);
    expect(cache.has('aa', STANDARD_SCRIPT_FLAGS)).toBe(true);
    cache.add('bb', MANDATORY_SCRIPT_FLAGS);
    expect(cache.has('bb', STANDARD_SCRIPT_FLAGS)).toBe(false);
    expect(cache.has('cc', 0)).toBe(false);
  });

  it('holds at most its limit, dropping the oldest entry first', () => {
    const cache = new ScriptCache(3);
    for (const w of ['a', 'b', 'c']) cache.add(w, MANDATORY_SCRIPT_FLAGS);
    cache.add('a', MANDATORY_SCRIPT_FLAGS); // refreshed: now the youngest
    cache.add('d', MANDATORY_SCRIPT_FLAGS);
    cache.add('e', MANDATORY_SCRIPT_FLAGS);
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].filter((w) => cache.has(w, MANDATORY_SCRIPT_FLAGS))).toEqual(['a', 'd', 'e']);
    expect(cache.stats().evictions).toBe(2);
    for (let i = 0; i < 1000; i++) cache.add(`x${i}`, MANDATORY_SCRIPT_FLAGS);
    expect(cache.size).toBe(3);
    expect(() => new ScriptCache(0)).toThrow(RangeError);
  });
});
