import type { Brand } from './brand.js';
import { TypesError } from './errors.js';

/**
 * A short channel id (BOLT 7): block height (3 bytes), transaction index in the
 * block (3 bytes) and output index (2 bytes), packed big-endian into a u64.
 */
export type ShortChannelId = Brand<bigint, 'ShortChannelId'>;

/** The three parts of a short channel id. */
export interface ShortChannelIdParts {
  readonly block: number;
  readonly txIndex: number;
  readonly outputIndex: number;
}

const MAX_U24 = 0xffffff;
const MAX_U16 = 0xffff;
const MAX_U64 = (1n << 64n) - 1n;

/** Brands a u64 as a short channel id. @throws TypesError `invalid_short_channel_id` */
export function shortChannelId(value: bigint): ShortChannelId {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U64) {
    throw new TypesError('invalid_short_channel_id', 'a short channel id is a u64');
  }
  return value as ShortChannelId;
}

/** Packs block, transaction index and output index. */
export function shortChannelIdFromParts(block: number, txIndex: number, outputIndex: number): ShortChannelId {
  if (!isUint(block, MAX_U24) || !isUint(txIndex, MAX_U24) || !isUint(outputIndex, MAX_U16)) {
    throw new TypesError(
      'invalid_short_channel_id',
      `short channel id parts out of range: ${block}x${txIndex}x${outputIndex}`,
    );
  }
  return ((BigInt(block) << 40n) | (BigInt(txIndex) << 16n) | BigInt(outputIndex)) as ShortChannelId;
}

/** Splits a short channel id into its parts. */
export function shortChannelIdParts(scid: ShortChannelId): ShortChannelIdParts {
  // The low 40 bits fit a double exactly; only the block needs the shift in bigint.
  const low = Number(scid & 0xffffffffffn);
  return {
    block: Number(scid >> 40n),
    txIndex: Math.floor(low / 0x10000),
    outputIndex: low % 0x10000,
  };
}

/** The block height of a short channel id (cheaper than {@link shortChannelIdParts}). */
export function shortChannelIdBlock(scid: ShortChannelId): number {
  return Number(scid >> 40n);
}

/** Formats as `BLOCKxTXxOUT`, the BOLT 7 human-readable form, e.g. `539268x845x1`. */
export function formatShortChannelId(scid: ShortChannelId): string {
  const { block, txIndex, outputIndex } = shortChannelIdParts(scid);
  return `${block}x${txIndex}x${outputIndex}`;
}

const SCID_PATTERN = /^(\d{1,8})x(\d{1,8})x(\d{1,5})$/;

/**
 * Parses the `BLOCKxTXxOUT` form (lnd's `BLOCK:TX:OUT` is accepted too).
 * @throws TypesError `invalid_short_channel_id`
 */
export function parseShortChannelId(text: string): ShortChannelId {
  const match = SCID_PATTERN.exec(text.replace(/:/g, 'x'));
  if (match === null) {
    throw new TypesError('invalid_short_channel_id', `not a short channel id: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return shortChannelIdFromParts(Number(match[1]), Number(match[2]), Number(match[3]));
}

function isUint(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}
