import type { PublicKey, ShortChannelId } from 'ln-types';

/** BOLT 11 currency prefixes (after `ln`): mainnet, testnet (3 and 4), signet, regtest. */
export type InvoiceCurrency = 'bc' | 'tb' | 'tbs' | 'bcrt';

/** One hop of a private route hint (`r` field), the channel from `nodeId` towards the payee. */
export interface RouteHintHop {
  readonly nodeId: PublicKey;
  readonly shortChannelId: ShortChannelId;
  /** u32 */
  readonly feeBaseMsat: number;
  /** u32 */
  readonly feeProportionalMillionths: number;
  /** u16 */
  readonly cltvExpiryDelta: number;
}

/**
 * An on-chain fallback address (`f` field): `version` 0..16 is a segwit witness
 * version with its program, 17 a P2PKH hash, 18 a P2SH hash.
 */
export interface Fallback {
  readonly version: number;
  readonly program: Uint8Array;
}

/**
 * A tagged field kept as it was read: unknown types, and known types the reader
 * must skip (wrong `data_length`, unknown fallback version, a value that does not
 * parse, or a repeat of a single-valued field). Re-encoded unchanged.
 */
export interface RawField {
  /** The 5-bit type (e.g. 1 for `p`). */
  readonly type: number;
  /** The data as 5-bit words. */
  readonly words: Uint8Array;
}

/** The content of an invoice: every field the encoder writes and the decoder reads. */
export interface InvoiceData {
  readonly currency: InvoiceCurrency;
  /** Requested amount; absent for "any amount" invoices. */
  readonly amountMsat?: bigint;
  /** Creation time, seconds since 1970 (35 bits). */
  readonly timestamp: number;
  /** `p`: 32 bytes. */
  readonly paymentHash: Uint8Array;
  /** `s`: 32 bytes (required by readers). */
  readonly paymentSecret?: Uint8Array;
  /** `d`: UTF-8 description. */
  readonly description?: string;
  /** `h`: SHA-256 of a longer description. */
  readonly descriptionHash?: Uint8Array;
  /** `n`: the payee's node id stated explicitly (otherwise recovered from the signature). */
  readonly payeeNodeId?: PublicKey;
  /** `x`: seconds after `timestamp` (default 3600 when absent). */
  readonly expirySeconds?: number;
  /** `c`: min_final_cltv_expiry_delta (default 18 when absent). */
  readonly minFinalCltvExpiryDelta?: number;
  /** `m`: payment metadata to echo in the onion. */
  readonly metadata?: Uint8Array;
  /** `9`: feature bits, big-endian bytes as in BOLT 9 (bit 0 is the last byte's lowest). */
  readonly features?: Uint8Array;
  /** `f` fields in order of preference. */
  readonly fallbacks?: readonly Fallback[];
  /** `r` fields: each is one route (its hops in order). */
  readonly routeHints?: readonly (readonly RouteHintHop[])[];
  /** Fields kept verbatim (see {@link RawField}); written after the known ones. */
  readonly extraFields?: readonly RawField[];
}

/** A compact signature (r || s, 64 bytes) with its recovery id, as an invoice carries it. */
export interface InvoiceSignature {
  readonly signature: Uint8Array;
  readonly recoveryId: 0 | 1 | 2 | 3;
}

/**
 * Signs the 32-byte invoice hash. May answer at once or later (a remote or
 * hardware NodeSigner).
 */
export type InvoiceSigner = (hash: Uint8Array) => InvoiceSignature | Promise<InvoiceSignature>;

/** A decoded, signature-checked invoice. */
export interface DecodedInvoice extends InvoiceData {
  /** The payee: the `n` field when present (signature verified against it), else the recovered key. */
  readonly payee: PublicKey;
  readonly signature: InvoiceSignature;
  /** SHA-256 of the signed bytes. */
  readonly signingHash: Uint8Array;
  /** The human-readable part, lowercase (e.g. `lnbc2500u`). */
  readonly hrp: string;
}
