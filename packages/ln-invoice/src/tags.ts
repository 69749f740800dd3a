/** The 5-bit types of the tagged fields BOLT 11 defines (the letter is the bech32 character of the value). */
export const TAG = {
  /** `p` payment_hash */
  paymentHash: 1,
  /** `r` route hint */
  routeHint: 3,
  /** `9` features */
  features: 5,
  /** `x` expiry */
  expiry: 6,
  /** `f` fallback address */
  fallback: 9,
  /** `d` description */
  description: 13,
  /** `s` payment_secret */
  paymentSecret: 16,
  /** `n` payee node id */
  payeeNodeId: 19,
  /** `h` description hash */
  descriptionHash: 23,
  /** `c` min_final_cltv_expiry_delta */
  minFinalCltvExpiryDelta: 24,
  /** `m` payment metadata */
  metadata: 27,
} as const;

/** Words in a field's `data_length` (10 bits) and the largest length it can state. */
export const MAX_FIELD_WORDS = 1023;
/** Words of the timestamp (35 bits). */
export const TIMESTAMP_WORDS = 7;
/** Words of the signature (520 bits: 64-byte signature and recovery id). */
export const SIGNATURE_WORDS = 104;
/** Bytes of one `r` hop: pubkey 33, scid 8, fee base 4, fee rate 4, cltv delta 2. */
export const ROUTE_HOP_BYTES = 51;
