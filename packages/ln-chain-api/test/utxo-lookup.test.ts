import { describe, expect, it } from '@jest/globals';
import type { ChainHash, ShortChannelId } from 'ln-types';
import { utxoFound, utxoMissing, type UtxoLookup, type UtxoResult } from '../src/index.js';

describe('UtxoLookup contract', () => {
  it('constructors build the two answers', () => {
    expect(utxoFound({ script: Uint8Array.of(0), valueSat: 5n })).toEqual({ ok: true, output: { script: Uint8Array.of(0), valueSat: 5n } });
    expect(utxoMissing('unknown_tx')).toEqual({ ok: false, error: 'unknown_tx' });
  });

  it('an implementation may answer synchronously or later', async () => {
    const outputs = new Map<bigint, UtxoResult>([[1n, utxoFound({ script: new Uint8Array(34), valueSat: 100_000n })]]);
    const sync: UtxoLookup = { getUtxo: (_c, scid) => outputs.get(scid) ?? utxoMissing('unknown_tx') };
    const later: UtxoLookup = { getUtxo: async (c, scid) => sync.getUtxo(c, scid) };
    const chain = new Uint8Array(32) as ChainHash;
    expect(sync.getUtxo(chain, 1n as ShortChannelId)).toEqual(outputs.get(1n));
    await expect(later.getUtxo(chain, 2n as ShortChannelId)).resolves.toEqual({ ok: false, error: 'unknown_tx' });
  });
});
