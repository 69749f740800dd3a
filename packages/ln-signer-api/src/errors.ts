import { LnError } from 'ln-types';

/**
 * Why a signer refused. `policy` is a refusal the signer owes its user (signing a
 * revoked holder commitment, releasing a current secret, skipping a commitment
 * number); `unavailable` is a remote signer that could not answer.
 */
export type SignerErrorCode = 'policy' | 'invalid_signature' | 'invalid_input' | 'unknown_commitment' | 'unavailable';

/** Thrown (or rejected with) by every implementation of this contract. */
export class SignerError extends LnError<SignerErrorCode> {}
