import { LnError } from 'ln-types';

/** Why the PeerManager refused a call. Peer misbehaviour is never thrown: it disconnects that peer. */
export type PeerErrorCode =
  /** An inbound connection over the limit of inbound peers without channels. */
  | 'too_many_peers'
  /** A descriptor that is already registered. */
  | 'duplicate_descriptor'
  /** An option is malformed. */
  | 'invalid_option'
  /** An outbound TCP or WebSocket connection could not be opened (or the manager refused it). */
  | 'connect_failed';

/** The typed error of PeerManager calls. */
export class PeerError extends LnError<PeerErrorCode> {}
