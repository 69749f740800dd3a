import { LnError } from 'ln-types';

/**
 * Why a handshake or the transport failed. The `actN_*` codes follow the names
 * of BOLT 8's failure vectors (ACT1_READ_FAILED, ACT2_BAD_VERSION, ...).
 */
export type NoiseErrorCode =
  | 'act1_read_failed'
  | 'act1_bad_version'
  | 'act1_bad_pubkey'
  | 'act1_bad_tag'
  | 'act2_read_failed'
  | 'act2_bad_version'
  | 'act2_bad_pubkey'
  | 'act2_bad_tag'
  | 'act3_read_failed'
  | 'act3_bad_version'
  | 'act3_bad_ciphertext'
  | 'act3_bad_pubkey'
  | 'act3_bad_tag'
  /** The ECDH function handed in threw, rejected or returned something other than 32 bytes. */
  | 'ecdh_failed'
  /** A method was called out of order, or after a failure (the state machine refuses to continue). */
  | 'invalid_state'
  /** An option (key, backend) is malformed. */
  | 'invalid_option'
  /** The encrypted length header did not authenticate. */
  | 'bad_length_mac'
  /** A message body did not authenticate. */
  | 'bad_message_mac'
  /** A message longer than 65535 bytes was given to encrypt. */
  | 'message_too_large';

/** The typed error of every handshake and transport failure. */
export class NoiseError extends LnError<NoiseErrorCode> {}
