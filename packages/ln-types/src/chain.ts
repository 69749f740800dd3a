import type { Brand } from './brand.js';
import { assertLength, equalBytes, fromHex, reverseBytes, toHex } from './bytes.js';
import { TypesError } from './errors.js';

/** A transaction id in internal byte order (as in outpoints on the wire). */
export type Txid = Brand<Uint8Array, 'Txid'>;

/** 32 bytes naming a chain: its genesis block hash in internal byte order, as BOLT messages carry it. */
export type ChainHash = Brand<Uint8Array, 'ChainHash'>;

/** A block hash in internal byte order (as block headers link to each other). */
export type BlockHash = Brand<Uint8Array, 'BlockHash'>;

/** A 32-byte channel id (BOLT 2). */
export type ChannelId = Brand<Uint8Array, 'ChannelId'>;

/** A transaction output: txid plus output index. */
export interface OutPoint {
  readonly txid: Txid;
  readonly index: number;
}

/** Brands 32 bytes (internal order) as a txid. */
export function txid(bytes: Uint8Array): Txid {
  return assertLength(bytes, 32, 'txid') as Txid;
}

/** A txid from its usual display hex (byte-reversed, as block explorers and bitcoind print it). */
export function txidFromHex(displayHex: string): Txid {
  return txid(reverseBytes(fromHex(displayHex)));
}

/** The usual display hex of a txid (byte-reversed). */
export function txidToHex(id: Txid): string {
  return toHex(reverseBytes(id));
}

/** Brands 32 bytes (internal order) as a block hash. */
export function blockHash(bytes: Uint8Array): BlockHash {
  return assertLength(bytes, 32, 'block hash') as BlockHash;
}

/** A block hash from its usual display hex (byte-reversed, as bitcoind and explorers print it). */
export function blockHashFromHex(displayHex: string): BlockHash {
  return blockHash(reverseBytes(fromHex(displayHex)));
}

/** The usual display hex of a block hash (byte-reversed). */
export function blockHashToHex(hash: BlockHash): string {
  return toHex(reverseBytes(hash));
}

/** An outpoint after checking the index is a u32. */
export function outPoint(id: Txid, index: number): OutPoint {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) {
    throw new TypesError('invalid_outpoint', `output index ${index} is not a u32`);
  }
  return { txid: id, index };
}

/** `txid:index` in display form. */
export function formatOutPoint(point: OutPoint): string {
  return `${txidToHex(point.txid)}:${point.index}`;
}

/** Brands 32 bytes as a channel id. */
export function channelId(bytes: Uint8Array): ChannelId {
  return assertLength(bytes, 32, 'channel id') as ChannelId;
}

/**
 * The channel id of a v1-established channel (BOLT 2): the funding txid with the
 * funding output index XORed big-endian into its last two bytes.
 */
export function channelIdFromFunding(point: OutPoint): ChannelId {
  if (point.index > 0xffff) throw new TypesError('invalid_outpoint', 'funding output index must fit in 16 bits');
  const out = Uint8Array.from(point.txid);
  out[30] = out[30]! ^ (point.index >> 8);
  out[31] = out[31]! ^ (point.index & 0xff);
  return out as ChannelId;
}

/** The all-zero channel id: in `error` and `warning` it means "every channel with this peer". */
export const ALL_CHANNELS: ChannelId = new Uint8Array(32) as ChannelId;

/** Brands 32 bytes as a chain hash. */
export function chainHash(bytes: Uint8Array): ChainHash {
  return assertLength(bytes, 32, 'chain hash') as ChainHash;
}

/** The networks whose chain hash this package knows. */
export type Network = 'bitcoin' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

// Genesis block hashes in display order; the chain hash is their reverse.
const GENESIS_DISPLAY: Record<Network, string> = {
  bitcoin: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  testnet: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943',
  testnet4: '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043',
  signet: '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6',
  regtest: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
};

/** Chain hashes of the known networks, in wire (internal) byte order. */
export const CHAIN_HASHES: Readonly<Record<Network, ChainHash>> = Object.freeze(
  Object.fromEntries(
    (Object.keys(GENESIS_DISPLAY) as Network[]).map((n) => [n, chainHash(reverseBytes(fromHex(GENESIS_DISPLAY[n])))]),
  ) as Record<Network, ChainHash>,
);

/** The network a chain hash names, or `undefined` for an unknown chain. */
export function networkOfChainHash(hash: Uint8Array): Network | undefined {
  for (const n of Object.keys(CHAIN_HASHES) as Network[]) if (equalBytes(CHAIN_HASHES[n], hash)) return n;
  return undefined;
}

/** A string key for maps and sets of outpoints (internal-order txid hex, colon, index). */
export function outPointKey(point: OutPoint): string {
  return `${toHex(point.txid)}:${point.index}`;
}
