import { LnError } from 'ln-types';

/**
 * Why the wallet refused or failed:
 * - `invalid_mnemonic` / `invalid_seed`: the key material cannot make a wallet;
 * - `invalid_address`: not an address, or one of another network;
 * - `invalid_script`: an output script the wallet cannot pay or spend;
 * - `invalid_amount`: zero, negative, above 21 million BTC, or below the destination's dust limit;
 * - `invalid_feerate`: not a whole number of sat per 1000 weight at or above the 253 floor;
 * - `insufficient_funds`: the spendable coins cannot pay the outputs and the fee;
 * - `unknown_transaction`: no such transaction of the wallet;
 * - `not_replaceable`: the transaction cannot be fee-bumped (confirmed, a funding
 *   transaction, not built by the wallet, or something spends its outputs);
 * - `fee_too_low`: a replacement's fee rate is not above the original's;
 * - `utxo_mismatch`: a WalletSource caller described a wallet output differently from the wallet's record;
 * - `chain_mismatch`: a block that does not connect to the wallet's tip, or a store of another wallet;
 * - `malformed` / `unsupported_version`: stored state that cannot be read.
 */
export type WalletErrorCode =
  | 'invalid_mnemonic'
  | 'invalid_seed'
  | 'invalid_address'
  | 'invalid_script'
  | 'invalid_amount'
  | 'invalid_feerate'
  | 'insufficient_funds'
  | 'unknown_transaction'
  | 'not_replaceable'
  | 'fee_too_low'
  | 'utxo_mismatch'
  | 'chain_mismatch'
  | 'malformed'
  | 'unsupported_version';

/** Thrown (or rejected) by every ln-wallet function that refuses its input or state. */
export class WalletError extends LnError<WalletErrorCode> {}
