import type { ChannelId, PublicKey, Txid } from 'ln-types';
import { fixedBytesRecord, readPoint } from '../../codec/fields.js';
import type { Reader } from '../../codec/reader.js';
import type { TlvField } from '../../codec/tlv.js';

// Field readers shared by the BOLT 2 codecs. Each returns a view into the input, branded.

/** A 33-byte compressed point (prefix-checked). */
export const readKey = (r: Reader, what: string): PublicKey => readPoint(r, what) as PublicKey;

/** A 32-byte channel id. */
export const readChannelId = (r: Reader, what = 'channel_id'): ChannelId => r.bytes(32, what) as ChannelId;

/** A 32-byte txid (internal byte order, as on the wire). */
export const readTxid = (r: Reader, what: string): Txid => r.bytes(32, what) as Txid;

/** A 64-byte compact ECDSA signature. */
export const readSignature = (r: Reader, what = 'signature'): Uint8Array => r.bytes(64, what);

/** A TLV record holding one txid. */
export const txidRecord = (type: number, what: string): TlvField<Txid> => fixedBytesRecord(type, 32, what) as TlvField<Txid>;

/** A TLV record holding one 64-byte signature. */
export const signatureRecord = (type: number, what: string): TlvField<Uint8Array> => fixedBytesRecord(type, 64, what);
