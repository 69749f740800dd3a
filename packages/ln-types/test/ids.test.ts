import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  shortChannelId,
  shortChannelIdFromParts,
  shortChannelIdParts,
  shortChannelIdBlock,
  formatShortChannelId,
  parseShortChannelId,
  nodeIdFromHex,
  nodeIdToHex,
  publicKey,
  txidFromHex,
  txidToHex,
  blockHashFromHex,
  blockHashToHex,
  blockHash,
  outPoint,
  formatOutPoint,
  outPointKey,
  channelIdFromFunding,
  CHAIN_HASHES,
  networkOfChainHash,
  toHex,
  fromHex,
  TypesError,
  isLnError,
  LnError,
} from '../src/index.js';

describe('ShortChannelId', () => {
  it('matches the BOLT 7 example 539268x845x1', () => {
    const scid = parseShortChannelId('539268x845x1');
    expect(scid).toBe((539268n << 40n) | (845n << 16n) | 1n);
    expect(shortChannelIdParts(scid)).toEqual({ block: 539268, txIndex: 845, outputIndex: 1 });
    expect(shortChannelIdBlock(scid)).toBe(539268);
    expect(formatShortChannelId(scid)).toBe('539268x845x1');
    expect(parseShortChannelId('539268:845:1')).toBe(scid);
  });

  it('round-trips any parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffff }), (b, t, o) => {
        const scid = shortChannelIdFromParts(b, t, o);
        expect(shortChannelIdParts(scid)).toEqual({ block: b, txIndex: t, outputIndex: o });
        expect(parseShortChannelId(formatShortChannelId(scid))).toBe(scid);
      }),
    );
  });

  it('round-trips any u64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        const scid = shortChannelId(v);
        const { block, txIndex, outputIndex } = shortChannelIdParts(scid);
        expect(shortChannelIdFromParts(block, txIndex, outputIndex)).toBe(v);
      }),
    );
  });

  it.each(['', '1x2', '1x2x3x4', 'axbxc', '16777216x0x0', '0x16777216x0', '0x0x65536', '-1x0x0', '1.5x0x0'])(
    'rejects %j',
    (bad) => {
      expect(() => parseShortChannelId(bad)).toThrow(TypesError);
    },
  );

  it('rejects out-of-range values', () => {
    expect(() => shortChannelId(-1n)).toThrow(TypesError);
    expect(() => shortChannelId(1n << 64n)).toThrow(TypesError);
    expect(() => shortChannelIdFromParts(0.5, 0, 0)).toThrow(TypesError);
  });
});

describe('NodeId', () => {
  const hex = '02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619';
  it('parses and formats', () => {
    expect(nodeIdToHex(nodeIdFromHex(hex))).toBe(hex);
  });
  it('rejects wrong length or prefix', () => {
    expect(() => nodeIdFromHex(hex.slice(2))).toThrow(TypesError);
    expect(() => nodeIdFromHex('04' + hex.slice(2))).toThrow(TypesError);
    expect(() => publicKey(new Uint8Array(65))).toThrow(TypesError);
  });
});

describe('Txid, OutPoint, ChannelId', () => {
  const display = 'fd2105607605d2302994ffea703b09f66b6351816ee737a93e42a841ea20bbad';
  it('keeps txids in internal order and displays them reversed', () => {
    const id = txidFromHex(display);
    expect(toHex(id).slice(0, 4)).toBe('adbb');
    expect(txidToHex(id)).toBe(display);
    expect(formatOutPoint(outPoint(id, 3))).toBe(`${display}:3`);
    expect(outPointKey(outPoint(id, 3))).toBe(`${toHex(id)}:3`);
  });

  it('derives the channel id by XOR of the output index into the last two bytes (BOLT 2)', () => {
    const id = txidFromHex(display);
    const cid = channelIdFromFunding(outPoint(id, 0x0102));
    expect(toHex(cid.slice(0, 30))).toBe(toHex(id.slice(0, 30)));
    expect(cid[30]).toBe(id[30]! ^ 0x01);
    expect(cid[31]).toBe(id[31]! ^ 0x02);
    expect(channelIdFromFunding(outPoint(id, 0))).toEqual(id);
  });

  it('rejects bad outpoints', () => {
    const id = txidFromHex(display);
    expect(() => outPoint(id, -1)).toThrow(TypesError);
    expect(() => outPoint(id, 2 ** 32)).toThrow(TypesError);
    expect(() => channelIdFromFunding(outPoint(id, 0x10000))).toThrow(TypesError);
  });
});

describe('BlockHash', () => {
  it('keeps block hashes in internal order and displays them reversed (regtest genesis)', () => {
    const display = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';
    const hash = blockHashFromHex(display);
    expect(toHex(hash)).toBe(toHex(CHAIN_HASHES.regtest));
    expect(blockHashToHex(hash)).toBe(display);
    expect(() => blockHash(new Uint8Array(31))).toThrow(TypesError);
  });
});

describe('ChainHash', () => {
  it('holds the genesis hashes in wire order', () => {
    expect(toHex(CHAIN_HASHES.bitcoin)).toBe('6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000');
    expect(toHex(CHAIN_HASHES.regtest)).toBe('06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f');
    expect(networkOfChainHash(fromHex('43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000'))).toBe('testnet');
    expect(networkOfChainHash(new Uint8Array(32))).toBeUndefined();
  });
});

describe('errors', () => {
  it('carry a code and their class name', () => {
    const err = new TypesError('invalid_hex', 'boom');
    expect(err).toBeInstanceOf(LnError);
    expect(err.name).toBe('TypesError');
    expect(isLnError(err, 'invalid_hex')).toBe(true);
    expect(isLnError(err, 'invalid_amount')).toBe(false);
    expect(isLnError(new Error('x'))).toBe(false);
  });
});
