import { hmacSha256 } from 'ln-crypto';
import { concatBytes, shortChannelIdFromParts, shortChannelIdParts, utf8ToBytes, type ShortChannelId } from 'ln-types';

// Intercept scids (LDK's get_intercept_scid): fake short channel ids an LSP
// puts in its clients' invoices. An HTLC to one is held and given to the user
// (HTLCIntercepted), who opens a channel just in time and forwards it. They
// live at block heights before segwit, where no Lightning channel can exist,
// and carry a tag (the output index) only our key makes, so a real scid is
// never taken for one.

const TAG = utf8ToBytes('ln-channel intercept scid');
/** Intercept scids use block heights below this (segwit activated at 481,824). */
const MAX_FAKE_BLOCK = 400_000;

function tagOf(key: Uint8Array, block: number, txIndex: number): number {
  const h = hmacSha256(key, concatBytes(TAG, Uint8Array.of(block >>> 16, block >>> 8, block, txIndex >>> 16, txIndex >>> 8, txIndex)));
  return (h[0]! << 8) | h[1]!;
}

/** A new intercept scid from 32 random bytes, tagged with `key` (a node secret). */
export function makeInterceptScid(key: Uint8Array, random: Uint8Array): ShortChannelId {
  const block = 1 + (((random[0]! << 16) | (random[1]! << 8) | random[2]!) % (MAX_FAKE_BLOCK - 1));
  const txIndex = (random[3]! << 16) | (random[4]! << 8) | random[5]!;
  return shortChannelIdFromParts(block, txIndex, tagOf(key, block, txIndex));
}

/** True when `scid` is one of ours. */
export function isInterceptScid(key: Uint8Array, scid: ShortChannelId): boolean {
  const { block, txIndex, outputIndex } = shortChannelIdParts(scid);
  return block >= 1 && block < MAX_FAKE_BLOCK && tagOf(key, block, txIndex) === outputIndex;
}
