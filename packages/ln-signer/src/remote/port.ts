/**
 * The part of a MessagePort both browsers and Node's worker_threads provide
 * (structured clone carries Uint8Array and bigint as they are).
 */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener?(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
}

/** The ChannelSigner calls that travel over the port. */
export const REMOTE_METHODS = [
  'provideChannelParameters',
  'getPerCommitmentPoint',
  'releaseCommitmentSecret',
  'validateHolderCommitment',
  'validateCounterpartyRevocation',
  'signCounterpartyCommitment',
  'signHolderCommitment',
  'signHolderHtlcTransaction',
  'signHolderDelayedOutput',
  'signJusticeRevokedOutput',
  'signJusticeRevokedHtlc',
  'signCounterpartyHtlcClaim',
  'signCounterpartyPaymentOutput',
  'signClosingTransaction',
  'signHolderAnchorInput',
  'signChannelAnnouncementWithFundingKey',
] as const;

/** One of {@link REMOTE_METHODS}. */
export type RemoteMethod = (typeof REMOTE_METHODS)[number];

/** A request: `describe` asks for the keys id and pubkeys. */
export interface RemoteRequest {
  readonly id: number;
  readonly method: RemoteMethod | 'describe';
  readonly args: readonly unknown[];
}

/** A response to the request with the same id. */
export type RemoteResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };

export function isRequest(v: unknown): v is RemoteRequest {
  return typeof v === 'object' && v !== null && typeof (v as RemoteRequest).id === 'number' && typeof (v as RemoteRequest).method === 'string' && Array.isArray((v as RemoteRequest).args);
}

export function isResponse(v: unknown): v is RemoteResponse {
  return typeof v === 'object' && v !== null && typeof (v as RemoteResponse).id === 'number' && typeof (v as RemoteResponse).ok === 'boolean';
}
