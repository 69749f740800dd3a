import { toHex } from 'ln-types';
import { CLTV_CLAIM_BUFFER, LATENCY_GRACE_PERIOD_BLOCKS } from '../constants.js';
import type { MonitorState } from './state.js';
import { secretKnown } from './validate-update.js';

// When the monitor must go on chain by itself (LDK's should_broadcast_holder_commitment_txn):
// an HTLC we offered is LATENCY_GRACE_PERIOD_BLOCKS past its expiry (the upstream
// HTLC must be settled in time), or an HTLC we received and hold the preimage of
// is within CLTV_CLAIM_BUFFER blocks of its expiry (the claim must confirm before
// the counterparty can time it out). HTLCs of our latest commitment and of the
// counterparty's unrevoked ones count, dust included.

/** The lowest height at which some HTLC forces a close, or undefined if none does. */
export function forceCloseHeight(state: MonitorState): { height: number; paymentHash: Uint8Array; outbound: boolean } | undefined {
  let best: { height: number; paymentHash: Uint8Array; outbound: boolean } | undefined;
  const consider = (offered: boolean, holderView: boolean, cltv: number, paymentHash: Uint8Array) => {
    const outbound = offered === holderView;
    let h: number;
    if (outbound) h = cltv + LATENCY_GRACE_PERIOD_BLOCKS;
    else if (state.preimages.has(toHex(paymentHash))) h = cltv - CLTV_CLAIM_BUFFER;
    else return;
    if (best === undefined || h < best.height) best = { height: h, paymentHash, outbound };
  };
  for (const h of state.holderCurrent.commitment.data.htlcs) consider(h.offered, true, h.cltvExpiry, h.paymentHash);
  for (const h of state.counterpartyCurrent.data.htlcs) consider(h.offered, false, h.cltvExpiry, h.paymentHash);
  const previous = state.counterpartyPrevious;
  if (previous !== undefined && !secretKnown(state.secrets, previous.data.commitmentNumber)) {
    for (const h of previous.data.htlcs) consider(h.offered, false, h.cltvExpiry, h.paymentHash);
  }
  return best;
}

/** Why the monitor must force close at `height`, or undefined. */
export function forceCloseReason(state: MonitorState, height: number, threshold = forceCloseHeight(state)): string | undefined {
  if (threshold === undefined || height < threshold.height) return undefined;
  return `${threshold.outbound ? 'outbound' : 'inbound'} HTLC ${toHex(threshold.paymentHash)} near its expiry`;
}
