import { LnError } from 'ln-types';

/** Why a payment operation was refused. */
export type PaymentErrorCode =
  /** An amount that is zero, negative, above the u64 range or below a required minimum. */
  | 'invalid_amount'
  /** Bytes of the wrong length (hash, preimage, secret, payment id). */
  | 'invalid_length'
  /** An expiry, cltv delta or timestamp out of range. */
  | 'invalid_expiry'
  /** Invoice data that cannot be written, or an invoice that cannot be paid (expired, wrong network, ...). */
  | 'invalid_invoice'
  /** Parameters that contradict each other (description and hash, keysend with a secret, ...). */
  | 'invalid_params'
  /** A payment id already in use: the same id never pays twice. */
  | 'duplicate_payment'
  /** No payment (or intercepted HTLC, or claimable payment) under that id or hash. */
  | 'unknown_payment'
  /** The router found no route (or none within the fee and cltv limits). */
  | 'route_not_found'
  /** No usable channel to send through. */
  | 'no_usable_channel'
  /** Serialized payment state that does not parse. */
  | 'invalid_data'
  /** Serialized payment state of a version this code cannot read. */
  | 'unsupported_version'
  /** An operation not allowed in the payment's current state. */
  | 'invalid_state';

/** Thrown by the payment logic of ln-channel. */
export class PaymentError extends LnError<PaymentErrorCode> {}
