// Disconnection and channel_reestablish (BOLT 2 "Message Retransmission").

import { CounterpartySecrets, commitmentNumberToIndex, perCommitmentPoint } from 'ln-tx';
import type { ChannelReestablishMessage, Message } from 'ln-wire';
import type { PublicKey } from 'ln-types';
import { failChannel } from '../errors.js';
import { dropUncommittedUpdates } from '../channel/changes.js';
import { MAX_COMMITMENT_NUMBER } from '../channel/constants.js';
import { planReestablish } from '../channel/reestablish.js';
import type { Update } from '../channel/types.js';
import { decodeAttribution } from '../channel/htlc-updates.js';
import type { FundedChannel } from './channel-handle.js';
import { sendCommitment } from './commit-flow.js';
import type { ManagerCore } from './core.js';
import { ourPoint, sendChannelReady } from './open-flow.js';

/** The peer came back: a new connection epoch, and our channel_reestablish. */
export function channelPeerConnected(core: ManagerCore, ch: FundedChannel): void {
  ch.connected = true;
  ch.reestablished = false;
  ch.epoch++;
  ch.gate.clearOutbox();
  core.enqueue(ch, async (epoch) => {
    const s = ch.state;
    const point = await ourPoint(ch, s.localCommit.number);
    const secrets = CounterpartySecrets.deserialize(s.remoteSecrets);
    const last = s.remoteCommit.number > 0n ? secrets.get(commitmentNumberToIndex(s.remoteCommit.number - 1n)) : undefined;
    core.send(
      ch,
      {
        type: 'channel_reestablish',
        channelId: ch.channelId,
        nextCommitmentNumber: s.localCommit.number + 1n,
        nextRevocationNumber: s.remoteCommit.number,
        yourLastPerCommitmentSecret: last ?? new Uint8Array(32),
        myCurrentPerCommitmentPoint: point as PublicKey,
      },
      epoch,
      -1n,
    );
  });
}

/**
 * The peer went away: messages for it are dropped now; its updates not yet
 * covered by its commitment_signed are forgotten (and ours go back to the
 * holding cell) once the channel's queue reaches this point.
 */
export function channelPeerDisconnected(core: ManagerCore, ch: FundedChannel): void {
  ch.connected = false;
  ch.reestablished = false;
  ch.epoch++;
  ch.gate.clearOutbox();
  core.enqueue(ch, () => {
    const s = ch.state;
    dropUncommittedUpdates(s);
    s.inboundFailures = s.inboundFailures.filter((f) => f.id < s.remoteNextHtlcId);
    // closing_signed negotiation restarts after reconnection (BOLT 2).
    if (s.closing !== undefined) s.closing = undefined;
    if (s.status === 'negotiating_closing') s.status = 'shutting_down';
  });
}

/** The update messages of updates we sent (for retransmission). */
export function updateMessages(ch: FundedChannel, updates: readonly Update[]): Message[] {
  const channelId = ch.channelId;
  return updates.map((u): Message => {
    switch (u.kind) {
      case 'add': {
        const h = u.htlc;
        return {
          type: 'update_add_htlc',
          channelId,
          id: h.id,
          amountMsat: h.amountMsat,
          paymentHash: h.paymentHash,
          cltvExpiry: h.cltvExpiry,
          onionRoutingPacket: h.onion,
          ...(h.blindingPoint !== undefined && { tlvs: { blindedPath: h.blindingPoint as never } }),
        };
      }
      case 'fulfill': {
        const a = u.attribution === undefined ? undefined : decodeAttribution(u.attribution);
        return { type: 'update_fulfill_htlc', channelId, id: u.id, paymentPreimage: u.preimage, ...(a !== undefined && { tlvs: { attributionData: a } }) };
      }
      case 'fail': {
        const a = u.attribution === undefined ? undefined : decodeAttribution(u.attribution);
        return { type: 'update_fail_htlc', channelId, id: u.id, reason: u.reason, ...(a !== undefined && { tlvs: { attributionData: a } }) };
      }
      case 'fail_malformed':
        return { type: 'update_fail_malformed_htlc', channelId, id: u.id, sha256OfOnion: u.sha256OfOnion, failureCode: u.failureCode };
      case 'fee':
        return { type: 'update_fee', channelId, feeratePerKw: u.feeratePerKw };
    }
  });
}

/**
 * The peer's channel_reestablish: retransmit exactly what it missed, in the
 * order we first sent it, or react to lost state (option_data_loss_protect).
 */
export async function handleChannelReestablish(core: ManagerCore, ch: FundedChannel, msg: ChannelReestablishMessage, epoch: number): Promise<void> {
  if (!ch.connected) return;
  if (ch.reestablished) failChannel('channel_reestablish twice on one connection');
  const s = ch.state;
  const n = msg.nextRevocationNumber - 1n;
  const needed = msg.nextRevocationNumber > 0n && n <= MAX_COMMITMENT_NUMBER ? await ch.signer.getPerCommitmentPoint(n) : undefined;
  const plan = planReestablish(
    s,
    msg,
    (k) => (k === n && needed !== undefined ? needed : new Uint8Array(33)),
    (secret) => {
      try {
        return perCommitmentPoint(secret, core.backend);
      } catch {
        return undefined;
      }
    },
  );
  if (ch.closed) return;
  if (plan.kind === 'we_are_behind') {
    core.log('error', `data loss detected: ${plan.reason}. Not broadcasting our (revoked) commitment.`, ch.channelId, ch.counterpartyNodeId);
    core.closeFunded(ch, { kind: 'data_loss_detected', message: plan.reason }, { broadcast: false, errorMessage: 'we have lost channel state: please close the channel' });
    return;
  }
  if (plan.kind === 'close') failChannel(plan.reason);
  ch.reestablished = true;
  if (plan.channelReady) sendChannelReady(core, ch, await ourPoint(ch, 1n), epoch);
  let raa: Message | undefined;
  if (plan.revokeAndAck) {
    const secret = await ch.signer.releaseCommitmentSecret(s.localCommit.number - 1n);
    const next = await ourPoint(ch, s.localCommit.number + 1n);
    raa = { type: 'revoke_and_ack', channelId: ch.channelId, perCommitmentSecret: secret, nextPerCommitmentPoint: next as PublicKey };
  }
  let commitment: Message[] = [];
  if (plan.commitment && s.nextRemoteCommit !== undefined) {
    const next = s.nextRemoteCommit;
    commitment = [...updateMessages(ch, s.localChanges.signed), { type: 'commitment_signed', channelId: ch.channelId, signature: next.signature, htlcSignatures: next.htlcSignatures }];
  }
  const ordered = plan.order === 'revoke_and_ack_first' ? [...(raa ? [raa] : []), ...commitment] : [...commitment, ...(raa ? [raa] : [])];
  for (const m of ordered) core.send(ch, m, epoch);
  if (s.shutdownSent && s.localShutdownScript !== undefined) core.send(ch, { type: 'shutdown', channelId: ch.channelId, scriptpubkey: s.localShutdownScript }, epoch);
  await sendCommitment(core, ch, epoch);
  core.afterStateChange(ch, epoch);
}
