// channel_reestablish (BOLT 2 "Message Retransmission"): what we tell the peer
// after a reconnection, and what its message says we must resend, with
// option_data_loss_protect both ways. Numbers follow BOLT 2: a commitment is
// numbered from 0, `next_commitment_number` is the commitment_signed a node
// expects next, `next_revocation_number` the revoke_and_ack it expects next.

import type { ChannelReestablishMessage } from 'ln-wire';
import type { ChannelState } from './types.js';

/** The numbers of our channel_reestablish. */
export function ourReestablishNumbers(state: ChannelState): { nextCommitmentNumber: bigint; nextRevocationNumber: bigint } {
  return { nextCommitmentNumber: state.localCommit.number + 1n, nextRevocationNumber: state.remoteCommit.number };
}

/** What to do after the peer's channel_reestablish. */
export type ReestablishPlan =
  | {
      readonly kind: 'resume';
      readonly channelReady: boolean;
      /** Resend our revoke_and_ack for commitment `localCommit.number - 1`. */
      readonly revokeAndAck: boolean;
      /** Resend the updates and commitment_signed of `nextRemoteCommit`. */
      readonly commitment: boolean;
      readonly order: 'revoke_and_ack_first' | 'commitment_first';
    }
  /**
   * The peer proved (with the secret of a commitment of ours we do not know we
   * revoked) that we lost state: we must not broadcast our commitment (it is
   * revoked), must tell the peer to close and tell the user.
   */
  | { readonly kind: 'we_are_behind'; readonly reason: string }
  /** The peer is behind or lies about our state: fail the channel (our latest commitment is safe to broadcast). */
  | { readonly kind: 'close'; readonly reason: string };

/**
 * Reads the peer's channel_reestablish (after LDK's Channel::channel_reestablish
 * and BOLT 2). `expectedSecretPoint(n)` is our per-commitment point of
 * commitment n (to check `your_last_per_commitment_secret`), `pointOf(secret)`
 * the point of a secret (undefined when it is not a valid key).
 */
export function planReestablish(
  state: ChannelState,
  msg: ChannelReestablishMessage,
  ourPointOf: (n: bigint) => Uint8Array,
  pointOfSecret: (secret: Uint8Array) => Uint8Array | undefined,
): ReestablishPlan {
  const ours = state.localCommit.number;
  const theirNextRev = msg.nextRevocationNumber;
  const theirNextCommit = msg.nextCommitmentNumber;
  if (theirNextCommit === 0n) return { kind: 'close', reason: 'channel_reestablish with next_commitment_number 0 (a request to force close)' };
  if (theirNextRev > 0n) {
    // option_data_loss_protect: the secret must be our secret of commitment next_revocation_number - 1.
    const point = pointOfSecret(msg.yourLastPerCommitmentSecret);
    const n = theirNextRev - 1n;
    if (theirNextRev > ours) {
      // It claims a revocation of a commitment we do not even know we revoked: if the secret
      // proves it, our state is stale (BOLT 2: MUST NOT broadcast, SHOULD send an error).
      if (point !== undefined && n <= (1n << 48n) - 1n && equal(point, ourPointOf(n))) {
        return { kind: 'we_are_behind', reason: `the peer holds our revocation of commitment ${n}; our latest is ${ours}` };
      }
      return { kind: 'close', reason: `channel_reestablish expects a revocation beyond our state (${theirNextRev} > ${ours}) without proof` };
    }
    if (point === undefined || !equal(point, ourPointOf(n))) return { kind: 'close', reason: 'channel_reestablish your_last_per_commitment_secret is wrong' };
  }
  // The peer lost state (it has not seen revocations we sent): fail the channel.
  if (theirNextRev + 1n < ours) return { kind: 'close', reason: `peer is behind: it expects our revocation ${theirNextRev}, we are at commitment ${ours}` };
  const waitingReady = !(state.channelReadySent && state.channelReadyReceived) && state.status === 'awaiting_channel_ready';
  if (waitingReady) {
    if (theirNextRev !== 0n) return { kind: 'close', reason: 'peer claims a revoke_and_ack before channel_ready' };
    return { kind: 'resume', channelReady: state.channelReadySent, revokeAndAck: false, commitment: false, order: 'commitment_first' };
  }
  const revokeAndAck = theirNextRev + 1n === ours;
  const awaiting = state.nextRemoteCommit !== undefined;
  const nextCounterparty = state.remoteCommit.number + 1n + (awaiting ? 1n : 0n);
  const channelReady = theirNextCommit === 1n && ours === 0n && state.channelReadySent;
  if (theirNextCommit === nextCounterparty) return { kind: 'resume', channelReady, revokeAndAck, commitment: false, order: state.resendOrder };
  if (awaiting && theirNextCommit === nextCounterparty - 1n) return { kind: 'resume', channelReady, revokeAndAck, commitment: true, order: state.resendOrder };
  if (theirNextCommit < nextCounterparty) return { kind: 'close', reason: `peer is behind: it expects commitment ${theirNextCommit}, we signed up to ${nextCounterparty - 1n}` };
  return { kind: 'close', reason: `peer expects a commitment from the future (${theirNextCommit} > ${nextCounterparty})` };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
