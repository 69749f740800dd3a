import type { BlockHeader } from 'ln-tx';
import { blockHash } from 'ln-types';
import { ChainSourceError } from '../errors.js';
import { asBlockHash, asInteger, asObject, asString } from '../http/json-shape.js';

/**
 * A header rebuilt from bitcoind's JSON description of it (`getblockheader`,
 * REST `/headers` and `/block/notxdetails`). The caller hashes the result and
 * compares it with the hash asked for, so a wrong field cannot pass unnoticed.
 */
export function headerFromJson(value: unknown, what: string): { header: BlockHeader; height: number } {
  const o = asObject(value, what);
  const bitsText = asString(o['bits'], `${what}.bits`);
  if (!/^[0-9a-fA-F]{8}$/.test(bitsText)) throw new ChainSourceError('bad_json', `${what}.bits: expected 8 hex digits`);
  const prev = o['previousblockhash'];
  const merkle = asBlockHash(o['merkleroot'], `${what}.merkleroot`);
  return {
    header: {
      version: asInteger(o['version'], `${what}.version`, -0x80000000, 0x7fffffff),
      prevBlockHash: prev === undefined ? blockHash(new Uint8Array(32)) : asBlockHash(prev, `${what}.previousblockhash`),
      merkleRoot: merkle,
      time: asInteger(o['time'], `${what}.time`, 0, 0xffffffff),
      bits: Number.parseInt(bitsText, 16),
      nonce: asInteger(o['nonce'], `${what}.nonce`, 0, 0xffffffff),
    },
    height: asInteger(o['height'], `${what}.height`, 0, 0x7fffffff),
  };
}
