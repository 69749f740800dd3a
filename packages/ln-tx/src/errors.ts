import { LnError } from 'ln-types';

/** Why an ln-tx function refused its input. */
export type TxErrorCode =
  | 'invalid_key'
  | 'invalid_index'
  | 'invalid_secret'
  | 'invalid_amount'
  | 'invalid_parameters'
  | 'invalid_script'
  | 'invalid_transaction'
  | 'invalid_block'
  | 'insufficient_funds';

/** Thrown by ln-tx on malformed or inconsistent input. */
export class TxError extends LnError<TxErrorCode> {}
