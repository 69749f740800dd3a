import { LnError } from 'ln-types';

/** Why contract data could not be read: malformed bytes, or a version this reader does not know. */
export type ChainDataErrorCode = 'malformed' | 'unsupported_version';

/** Thrown by the contract's codecs. */
export class ChainDataError extends LnError<ChainDataErrorCode> {}
