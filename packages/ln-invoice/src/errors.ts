import { LnError } from 'ln-types';

/** Reasons a bech32 string is refused (BIP 173 framing, checksum, 5-bit conversion). */
export type Bech32ErrorCode =
  | 'no_separator'
  | 'mixed_case'
  | 'invalid_character'
  | 'invalid_hrp'
  | 'bad_checksum'
  | 'too_short'
  | 'invalid_padding';

/** Thrown by the bech32 helpers (shared by BOLT 11 invoices and, later, BOLT 12 offers). */
export class Bech32Error extends LnError<Bech32ErrorCode> {}

/** Reasons an invoice is refused by the decoder, or its data by the encoder. */
export type InvoiceErrorCode =
  | Bech32ErrorCode
  | 'unknown_prefix'
  | 'invalid_amount'
  | 'sub_msat_precision'
  | 'invalid_timestamp'
  | 'field_too_long'
  | 'invalid_integer'
  | 'invalid_description'
  | 'missing_payment_hash'
  | 'missing_payment_secret'
  | 'missing_description'
  | 'unknown_required_feature'
  | 'invalid_recovery_id'
  | 'invalid_signature'
  | 'unrecoverable_signature'
  | 'invalid_field';

/** Thrown for an invalid invoice string (with the reason as `code`) or invalid data to encode. */
export class InvoiceError extends LnError<InvoiceErrorCode> {}
