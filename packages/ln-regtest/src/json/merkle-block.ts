import { sha256d } from 'ln-crypto';
import { encodeBlockHeader } from 'ln-tx';
import { concatBytes } from 'ln-types';
import type { BlockEntry } from '../chain/block-entry.js';

function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

/**
 * A serialized CMerkleBlock (BIP 37 partial merkle tree) proving the
 * transactions at `positions` are in `entry`: what bitcoind's gettxoutproof
 * and Esplora's /tx/:txid/merkleblock-proof return.
 */
export function merkleBlock(entry: BlockEntry, positions: ReadonlySet<number>): Uint8Array {
  const txids = entry.txs.map((t) => t.txid);
  const n = txids.length;
  const width = (height: number): number => (n + (1 << height) - 1) >> height;
  const hashAt = (height: number, pos: number): Uint8Array => {
    if (height === 0) return txids[pos]!;
    const left = hashAt(height - 1, pos * 2);
    const right = pos * 2 + 1 < width(height - 1) ? hashAt(height - 1, pos * 2 + 1) : left;
    return sha256d(concatBytes(left, right));
  };
  const bits: boolean[] = [];
  const hashes: Uint8Array[] = [];
  const build = (height: number, pos: number): void => {
    let parentOfMatch = false;
    for (let p = pos << height; p < (pos + 1) << height && p < n; p++) if (positions.has(p)) parentOfMatch = true;
    bits.push(parentOfMatch);
    if (height === 0 || !parentOfMatch) {
      hashes.push(hashAt(height, pos));
      return;
    }
    build(height - 1, pos * 2);
    if (pos * 2 + 1 < width(height - 1)) build(height - 1, pos * 2 + 1);
  };
  let height = 0;
  while (width(height) > 1) height++;
  build(height, 0);
  const flags = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    if (b) flags[i >> 3]! |= 1 << (i & 7);
  });
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, n, true);
  return concatBytes(encodeBlockHeader(entry.block.header), count, compactSize(hashes.length), ...hashes, compactSize(flags.length), flags);
}
