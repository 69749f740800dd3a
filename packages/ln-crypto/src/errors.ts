import { LnError } from 'ln-types';

/** Reasons a crypto operation refuses its input. */
export type CryptoErrorCode =
  | 'invalid_public_key'
  | 'invalid_private_key'
  | 'invalid_tweak'
  | 'invalid_signature'
  | 'invalid_length'
  | 'bad_mac'
  | 'point_at_infinity'
  | 'unavailable';

/** Thrown by ln-crypto for invalid keys, signatures, tweaks and failed authentication. */
export class CryptoError extends LnError<CryptoErrorCode> {}
