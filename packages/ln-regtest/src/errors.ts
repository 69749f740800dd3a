import { LnError } from 'ln-types';

/** Why a call to the regtest chain failed. */
export type RegtestErrorCode =
  | 'rejected'
  | 'missing_inputs'
  | 'already_in_chain'
  | 'max_fee_exceeded'
  | 'max_burn_exceeded'
  | 'invalid_package'
  | 'decode_failed'
  | 'not_found'
  | 'invalid_parameter'
  | 'invalid_address'
  | 'verify_error'
  | 'insufficient_funds'
  | 'misc';

// bitcoind's RPCErrorCode for each.
const RPC_CODES: Record<RegtestErrorCode, number> = {
  rejected: -26,
  missing_inputs: -25,
  already_in_chain: -27,
  max_fee_exceeded: -25,
  max_burn_exceeded: -25,
  invalid_package: -25,
  decode_failed: -22,
  not_found: -5,
  invalid_parameter: -8,
  invalid_address: -5,
  verify_error: -25,
  insufficient_funds: -6,
  misc: -1,
};

/** A refusal of the regtest chain, carrying the JSON-RPC error code bitcoind would answer with. */
export class RegtestError extends LnError<RegtestErrorCode> {
  /** bitcoind's RPC error code (e.g. -26 for a transaction the mempool refuses). */
  readonly rpcCode: number;

  constructor(code: RegtestErrorCode, message: string, options?: { cause?: unknown; rpcCode?: number }) {
    super(code, message, options);
    this.rpcCode = options?.rpcCode ?? RPC_CODES[code];
  }
}
