import { type BlockHash, type Network, type OutPoint, type Txid, blockHash, outPoint, toHex, txid as brandTxid } from 'ln-types';
import type { BestBlock } from 'ln-chain-api';
import { type Tx, decodeTx, txidOf } from 'ln-tx';
import { Reader, Writer } from 'ln-wire';
import { WalletError } from './errors.js';
import { NETWORKS } from './network.js';
import type { TxOrigin, TxStatus } from './tx-graph.js';

// The wallet's persisted form. Everything else (owned outputs, spends, used
// indexes, balances) is recomputed from these transactions on load. Big-endian
// integers as elsewhere in the toolkit; a magic and a version byte first so a
// reader refuses what it does not know.

/** A transaction as stored. */
export interface StoredTx {
  readonly txid: Txid;
  readonly tx: Tx;
  readonly raw: Uint8Array;
  readonly status: TxStatus;
  readonly origin: TxOrigin;
}

/** A wallet output promised to a transaction signed through WalletSource, until `expiresAt`. */
export interface StoredReservation {
  readonly outpoint: OutPoint;
  readonly spender: Txid;
  /** Height after which the reservation lapses if nothing confirmed. */
  readonly expiresAt: number;
}

/** The persisted wallet state (version 1). */
export interface WalletState {
  readonly network: Network;
  readonly account: number;
  /** hash160 of the account public key (which seed this state belongs to). */
  readonly fingerprint: Uint8Array;
  /** Counts state writes; the tip record names the generation it extends. */
  readonly generation: number;
  readonly tip: BestBlock | undefined;
  readonly revealed: readonly [number, number];
  /** Next sequence number for pending transactions (their order of arrival). */
  readonly nextSeq: number;
  readonly txs: readonly StoredTx[];
  readonly reservations: readonly StoredReservation[];
}

/** The frequently written tip record: the best block as of a state generation. */
export interface TipRecord {
  readonly generation: number;
  readonly tip: BestBlock;
}

const STATE_MAGIC = [0x4c, 0x4e, 0x57, 0x53]; // "LNWS"
const TIP_MAGIC = [0x4c, 0x4e, 0x57, 0x54]; // "LNWT"
const VERSION = 1;
const ORIGINS: readonly TxOrigin[] = ['external', 'send', 'drain', 'funding'];
/** Largest transaction the store accepts (a standard transaction is at most 400,000 weight). */
const MAX_RAW_TX = 400_000;

/** Serializes the wallet state. */
export function encodeWalletState(state: WalletState): Uint8Array {
  const w = new Writer(1024);
  for (const b of STATE_MAGIC) w.u8(b);
  w.u8(VERSION);
  w.u8(NETWORKS.indexOf(state.network));
  w.u32(state.account);
  w.fixed(state.fingerprint, 20, 'fingerprint');
  w.u32(state.generation >>> 0);
  writeTip(w, state.tip);
  w.u32(state.revealed[0]).u32(state.revealed[1]);
  w.u32(state.nextSeq);
  w.u32(state.txs.length);
  for (const t of state.txs) {
    w.u32(t.raw.length).bytes(t.raw);
    w.u8(ORIGINS.indexOf(t.origin));
    if (t.status.kind === 'pending') w.u8(0).u32(t.status.seq);
    else w.u8(1).u32(t.status.height).fixed(t.status.blockHash, 32, 'block hash').u32(t.status.position);
  }
  w.u32(state.reservations.length);
  for (const r of state.reservations) w.fixed(r.outpoint.txid, 32, 'txid').u32(r.outpoint.index).fixed(r.spender, 32, 'txid').u32(r.expiresAt);
  return w.finish();
}

/**
 * Reads a wallet state.
 * @throws WalletError `malformed` (truncated, trailing or inconsistent bytes), `unsupported_version`
 */
export function decodeWalletState(bytes: Uint8Array): WalletState {
  return guard(() => {
    const r = new Reader(bytes);
    readMagic(r, STATE_MAGIC, 'wallet state');
    const network = NETWORKS[r.u8('network')];
    if (network === undefined) throw new WalletError('malformed', 'unknown network');
    const account = r.u32('account');
    if (account >= 0x80000000) throw new WalletError('malformed', 'account out of range');
    const fingerprint = r.bytes(20, 'fingerprint').slice();
    const generation = r.u32('generation');
    const tip = readTip(r);
    const revealed: [number, number] = [r.u32('revealed'), r.u32('revealed')];
    if (revealed[0] >= 0x80000000 || revealed[1] >= 0x80000000) throw new WalletError('malformed', 'index out of range');
    const nextSeq = r.u32('sequence');
    const txCount = r.u32('transaction count');
    // Each stored transaction takes at least 70 bytes: refuse a count the bytes cannot hold before looping.
    if (txCount > r.remaining / 70) throw new WalletError('malformed', 'implausible transaction count');
    const txs: StoredTx[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < txCount; i++) {
      const length = r.u32('transaction length');
      if (length > MAX_RAW_TX) throw new WalletError('malformed', 'transaction too large');
      const raw = r.bytes(length, 'transaction').slice();
      let tx: Tx;
      try {
        tx = decodeTx(raw);
      } catch (cause) {
        throw new WalletError('malformed', `stored transaction ${i} does not decode`, { cause });
      }
      const origin = ORIGINS[r.u8('origin')];
      if (origin === undefined) throw new WalletError('malformed', 'unknown transaction origin');
      const kind = r.u8('status');
      let status: TxStatus;
      if (kind === 0) status = { kind: 'pending', seq: r.u32('sequence') };
      else if (kind === 1) status = { kind: 'confirmed', height: r.u32('height'), blockHash: blockHash(r.bytes(32, 'block hash').slice()), position: r.u32('position') };
      else throw new WalletError('malformed', 'unknown transaction status');
      const id = txidOf(tx);
      const hex = toHex(id);
      if (seen.has(hex)) throw new WalletError('malformed', 'a transaction is stored twice');
      seen.add(hex);
      txs.push({ txid: id, tx, raw, status, origin });
    }
    const reservationCount = r.u32('reservation count');
    if (reservationCount > r.remaining / 72) throw new WalletError('malformed', 'implausible reservation count');
    const reservations: StoredReservation[] = [];
    for (let i = 0; i < reservationCount; i++) {
      const point = outPoint(brandTxid(r.bytes(32, 'txid').slice()), r.u32('index'));
      reservations.push({ outpoint: point, spender: brandTxid(r.bytes(32, 'txid').slice()), expiresAt: r.u32('expiry') });
    }
    if (!r.atEnd) throw new WalletError('malformed', 'trailing bytes after the wallet state');
    return { network, account, fingerprint, generation, tip, revealed, nextSeq, txs, reservations };
  });
}

/** Serializes a tip record. */
export function encodeTipRecord(record: TipRecord): Uint8Array {
  const w = new Writer(48);
  for (const b of TIP_MAGIC) w.u8(b);
  w.u8(VERSION);
  w.u32(record.generation >>> 0);
  w.u32(record.tip.height).fixed(record.tip.blockHash, 32, 'block hash');
  return w.finish();
}

/**
 * Reads a tip record.
 * @throws WalletError `malformed`, `unsupported_version`
 */
export function decodeTipRecord(bytes: Uint8Array): TipRecord {
  return guard(() => {
    const r = new Reader(bytes);
    readMagic(r, TIP_MAGIC, 'tip record');
    const generation = r.u32('generation');
    const height = r.u32('height');
    const hash: BlockHash = blockHash(r.bytes(32, 'block hash').slice());
    if (!r.atEnd) throw new WalletError('malformed', 'trailing bytes after the tip record');
    return { generation, tip: { height, blockHash: hash } };
  });
}

function writeTip(w: Writer, tip: BestBlock | undefined): void {
  if (tip === undefined) w.u8(0);
  else w.u8(1).u32(tip.height).fixed(tip.blockHash, 32, 'block hash');
}

function readTip(r: Reader): BestBlock | undefined {
  const flag = r.u8('tip flag');
  if (flag === 0) return undefined;
  if (flag !== 1) throw new WalletError('malformed', 'bad tip flag');
  const height = r.u32('height');
  return { height, blockHash: blockHash(r.bytes(32, 'block hash').slice()) };
}

function readMagic(r: Reader, magic: readonly number[], what: string): void {
  for (const b of magic) if (r.u8('magic') !== b) throw new WalletError('malformed', `not a ${what}`);
  const version = r.u8('version');
  if (version !== VERSION) throw new WalletError('unsupported_version', `${what} version ${version} is not known (this reader knows ${VERSION})`);
}

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof WalletError) throw error;
    throw new WalletError('malformed', 'wallet data is truncated or malformed', { cause: error });
  }
}
