// A refused transaction or block as bitcoind describes it: a reject reason
// (e.g. "bad-txns-inputs-missingorspent") and an optional debug message; the
// kind is Core's TxValidationResult, which decides the RPC error code.

/** Core's TxValidationResult values that this chain produces. */
export type RejectionKind =
  | 'consensus'
  | 'not-standard'
  | 'inputs-not-standard'
  | 'missing-inputs'
  | 'premature-spend'
  | 'conflict'
  | 'mempool-policy'
  | 'reconsiderable'
  | 'witness-stripped';

/** Why a transaction or block was refused. */
export interface Rejection {
  readonly kind: RejectionKind;
  readonly reason: string;
  readonly debug?: string;
}

export function rejection(kind: RejectionKind, reason: string, debug?: string): Rejection {
  return debug === undefined ? { kind, reason } : { kind, reason, debug };
}

/** Core's ValidationState::ToString: `reason` or `reason, debug`. */
export function rejectionText(r: Rejection): string {
  return r.debug === undefined || r.debug === '' ? r.reason : `${r.reason}, ${r.debug}`;
}
