/**
 * Why a gossip message was not applied to the graph. Every BOLT 7 receiving
 * rule we enforce has its own reason, so callers (and tests) can tell which
 * rule a message broke, and the peer layer can decide on a warning.
 */
export type RefusalReason =
  /** The bytes do not decode (a WireError). */
  | 'malformed'
  /** Not a gossip message this handler takes. */
  | 'not_gossip'
  /** chain_hash is not the graph's chain. */
  | 'wrong_chain'
  /** channel_announcement: node_id_1 is not strictly lesser than node_id_2. */
  | 'node_ids_not_ordered'
  /** channel_announcement: a feature bit we do not understand is required (unknown even bit). */
  | 'unknown_required_feature'
  /** channel_announcement: a node signature does not verify over the announcement. */
  | 'bad_node_signature'
  /** channel_announcement: a bitcoin-key signature does not verify. */
  | 'bad_bitcoin_signature'
  /** node_announcement / channel_update: the signature does not verify for the signing node. */
  | 'bad_signature'
  /** The same message (or same timestamp) is already known: dropped before any signature check. */
  | 'duplicate'
  /** Older than what the graph has: dropped before any signature check. */
  | 'stale'
  /** channel_update: timestamp too far in the future. */
  | 'timestamp_in_future'
  /** channel_update: older than the two-week pruning horizon. */
  | 'timestamp_too_old'
  /** channel_update: htlc_maximum_msat above the channel capacity. */
  | 'htlc_maximum_above_capacity'
  /** channel_update: message_flags bit 0 (must_be_one) is clear. */
  | 'htlc_maximum_missing'
  /** node_announcement: a DNS hostname that is empty or not printable ASCII, or more than one hostname. */
  | 'bad_address'
  /** node_announcement: the alias is not valid UTF-8 (after its zero padding). */
  | 'bad_alias'
  /** The funding output does not exist or is spent (UtxoLookup). */
  | 'funding_missing'
  /** The funding output is not the P2WSH of the 2-of-2 of the announced bitcoin keys. */
  | 'funding_script_mismatch'
  /** The UtxoLookup does not follow this chain. */
  | 'funding_unknown_chain'
  /** The channel was closed (its funding output spent): announcements for it are refused. */
  | 'channel_closed'
  /** Too many funding lookups are waiting for the chain source (see `maxPendingLookups`). */
  | 'lookups_busy';

/** Outcome of one message: applied, held until its channel is known, or refused with a reason. */
export type IngestOutcome =
  | { readonly status: 'applied' }
  /** Kept aside: an update or node announcement for a channel or node not (yet) in the graph. */
  | { readonly status: 'held' }
  /** Waiting for a UtxoLookup answer. */
  | { readonly status: 'pending' }
  | { readonly status: 'refused'; readonly reason: RefusalReason };

export const APPLIED: IngestOutcome = Object.freeze({ status: 'applied' });
export const HELD: IngestOutcome = Object.freeze({ status: 'held' });
export const PENDING: IngestOutcome = Object.freeze({ status: 'pending' });

const refusals = new Map<RefusalReason, IngestOutcome>();
/** The (shared, frozen) refused outcome of a reason. */
export function refused(reason: RefusalReason): IngestOutcome {
  let o = refusals.get(reason);
  if (o === undefined) refusals.set(reason, (o = Object.freeze({ status: 'refused', reason })));
  return o;
}
