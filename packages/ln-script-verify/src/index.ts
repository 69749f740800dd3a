export { ScriptFlags, MANDATORY_SCRIPT_FLAGS, STANDARD_SCRIPT_FLAGS } from './flags.js';
export { type ScriptError, SCRIPT_ERROR_MESSAGES, scriptErrorFromBitcore, scriptErrorMessage } from './script-error.js';
export { type SpentOutput, type InputVerdict, type SpendToCheck, TransactionScripts, verifyInput, checkSpend } from './verify.js';
export { ScriptVerifyError, type ScriptVerifyErrorCode } from './errors.js';
