import { LnError } from 'ln-types';

/** Why a verification could not even start. */
export type ScriptVerifyErrorCode = 'invalid_transaction' | 'invalid_spent_outputs' | 'invalid_index';

/** Thrown for input that is not a transaction or does not match its spent outputs (a script failure is a verdict, not an error). */
export class ScriptVerifyError extends LnError<ScriptVerifyErrorCode> {}
