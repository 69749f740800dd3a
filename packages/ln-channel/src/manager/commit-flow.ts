// The commitment dance (BOLT 2 "Normal Operation"): update messages in both
// directions, commitment_signed and revoke_and_ack, with the holding cell for
// our updates that must wait, and a monitor update before every message that
// depends on it (the gate in ManagerCore.send holds them back).

import { sha256 } from 'ln-crypto';
import { CounterpartySecrets, commitmentNumberToIndex, perCommitmentPoint } from 'ln-tx';
import { type PublicKey, equalBytes } from 'ln-types';
import type { CommitmentSignedMessage, Message, RevokeAndAckMessage, UpdateAddHtlcMessage, UpdateFailHtlcMessage, UpdateFailMalformedHtlcMessage, UpdateFeeMessage, UpdateFulfillHtlcMessage } from 'ln-wire';
import { SignerError } from 'ln-signer-api';
import { failChannel } from '../errors.js';
import { applyReceivedCommitment, applyReceivedRevocation, applySentCommitment, hasPendingUpdates, nextLocalSpec } from '../channel/changes.js';
import { checkHolderCommitmentSignatures, commitmentData, counterpartyCommitmentTxid } from '../channel/commitment.js';
import { canSendFeerate, openerAffordsLocalCommitment, receiveUpdateFee } from '../channel/fee-updates.js';
import { outboundLimits } from '../channel/fees.js';
import { decodeAttribution, encodeAttribution, receiveAdd, receiveFail, receiveFailMalformed, receiveFulfill, removableIncoming } from '../channel/htlc-updates.js';
import { findHtlc, reduceSpec } from '../channel/spec.js';
import type { ChannelState, HoldingCellUpdate, Htlc, Update } from '../channel/types.js';
import type { FundedChannel } from './channel-handle.js';
import type { ManagerCore } from './core.js';
import { ourPoint } from './open-flow.js';
import { feeBounds } from './policy.js';
import type { CommitmentSpec } from '../channel/types.js';
import type { ChannelId } from 'ln-types';

/** The update messages (add, fulfill, fail, fail_malformed, fee) of a funded channel, processed in order. */
export function handleUpdate(
  core: ManagerCore,
  ch: FundedChannel,
  msg: UpdateAddHtlcMessage | UpdateFulfillHtlcMessage | UpdateFailHtlcMessage | UpdateFailMalformedHtlcMessage | UpdateFeeMessage,
): void {
  const s = ch.state;
  if (!ch.reestablished) failChannel(`${msg.type} before channel_reestablish`);
  switch (msg.type) {
    case 'update_add_htlc': {
      const outcome = receiveAdd(s, msg, core.feerate('maximum_fee_estimate'));
      if (outcome.failCode !== undefined) {
        core.log('info', `incoming HTLC ${msg.id} will be failed: ${outcome.failReason}`, ch.channelId);
        s.inboundFailures.push({ id: msg.id, failureCode: outcome.failCode });
      }
      return;
    }
    case 'update_fulfill_htlc': {
      const htlc = receiveFulfill(s, msg);
      // The preimage is ours to use at once (BOLT 2: its effect is not reversed by a disconnection).
      const attribution = msg.tlvs?.attributionData === undefined ? undefined : encodeAttribution(msg.tlvs.attributionData);
      if (htlc.source !== undefined) core.outboundFulfilled(htlc.source, msg.paymentPreimage, ch, htlc.id, htlc.amountMsat, false, attribution);
      return;
    }
    case 'update_fail_htlc':
      receiveFail(s, msg);
      return;
    case 'update_fail_malformed_htlc':
      receiveFailMalformed(s, msg);
      return;
    case 'update_fee':
      receiveUpdateFee(s, msg, feeBounds(core, s.params.format));
      return;
  }
}

/**
 * commitment_signed: our next commitment, signed by the counterparty. Checked
 * (signatures through ln-tx, then the signer's own check), given to the monitor,
 * and answered with revoke_and_ack (after the monitor has it), followed by our
 * own commitment_signed when its updates must now enter its commitment.
 */
export async function handleCommitmentSigned(core: ManagerCore, ch: FundedChannel, msg: CommitmentSignedMessage, epoch: number): Promise<void> {
  const s = ch.state;
  if (!ch.reestablished) failChannel('commitment_signed before channel_reestablish');
  if (s.status !== 'ready' && s.status !== 'shutting_down' && s.status !== 'negotiating_closing') failChannel('commitment_signed while the channel is not in normal operation');
  if (s.status === 'negotiating_closing') failChannel('commitment_signed during closing negotiation');
  const spec = nextLocalSpec(s);
  const number = s.localCommit.number + 1n;
  if (s.remoteChanges.proposed.some((u) => u.kind === 'fee') && !openerAffordsLocalCommitment(s, spec)) failChannel('the opener cannot afford the fee rate it proposed');
  const point = await ourPoint(ch, number);
  const data = commitmentData(spec, true, number, point);
  const check = checkHolderCommitmentSignatures(ch.signerParams, data, msg.signature, msg.htlcSignatures, core.backend);
  if (!check.ok) failChannel(`commitment_signed: ${check.reason}`);
  try {
    await ch.signer.validateHolderCommitment(data, msg.signature, msg.htlcSignatures);
  } catch (e) {
    if (e instanceof SignerError && (e.code === 'invalid_signature' || e.code === 'invalid_input')) failChannel(`commitment_signed refused by the signer: ${e.message}`);
    throw e;
  }
  const secret = await ch.signer.releaseCommitmentSecret(number - 1n);
  const nextPoint = await ourPoint(ch, number + 1n);
  if (ch.closed) return;
  applyReceivedCommitment(s, { number, spec, signature: msg.signature, htlcSignatures: msg.htlcSignatures });
  core.updateMonitor(ch, [{ kind: 'latest_holder_commitment', commitment: { data, counterpartySignature: msg.signature, htlcSignatures: msg.htlcSignatures } }]);
  core.send(ch, { type: 'revoke_and_ack', channelId: ch.channelId, perCommitmentSecret: secret, nextPerCommitmentPoint: nextPoint as PublicKey }, epoch);
  await sendCommitment(core, ch, epoch);
  afterStateChange(core, ch, epoch);
}

/**
 * revoke_and_ack: the counterparty revoked its previous commitment. The secret
 * must match the commitment's point and the shachain of earlier secrets; the
 * monitor gets it; its updates in that commitment are now irrevocable.
 */
export async function handleRevokeAndAck(core: ManagerCore, ch: FundedChannel, msg: RevokeAndAckMessage, epoch: number): Promise<void> {
  const s = ch.state;
  if (!ch.reestablished) failChannel('revoke_and_ack before channel_reestablish');
  if (s.nextRemoteCommit === undefined) failChannel('revoke_and_ack without a commitment_signed awaiting it');
  const revoked = s.remoteCommit;
  let derived: Uint8Array;
  try {
    derived = perCommitmentPoint(msg.perCommitmentSecret, core.backend);
  } catch {
    failChannel('revoke_and_ack secret is not a valid key');
  }
  if (!equalBytes(derived, revoked.point)) failChannel(`revoke_and_ack secret does not match commitment ${revoked.number}`);
  if (!core.backend.isValidPublicKey(msg.nextPerCommitmentPoint)) failChannel('revoke_and_ack next_per_commitment_point is not a valid key');
  const secrets = CounterpartySecrets.deserialize(s.remoteSecrets);
  try {
    secrets.insert(msg.perCommitmentSecret, commitmentNumberToIndex(revoked.number));
  } catch (e) {
    failChannel(`revoke_and_ack secret breaks the shachain: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await ch.signer.validateCounterpartyRevocation(revoked.number, msg.perCommitmentSecret);
  } catch (e) {
    if (e instanceof SignerError && e.code !== 'unavailable') failChannel(`revoke_and_ack refused by the signer: ${e.message}`);
    throw e;
  }
  if (ch.closed) return;
  const before = revoked.spec;
  s.remoteSecrets = secrets.serialize();
  const committed = applyReceivedRevocation(s, msg.nextPerCommitmentPoint);
  core.updateMonitor(ch, [{ kind: 'commitment_secret', commitmentNumber: revoked.number, secret: msg.perCommitmentSecret }]);
  settleCommitted(core, ch, committed, before);
  await sendCommitment(core, ch, epoch);
  afterStateChange(core, ch, epoch);
}

/** Acts on the counterparty's updates that just became irrevocable. */
function settleCommitted(core: ManagerCore, ch: FundedChannel, committed: readonly Update[], revokedSpec: CommitmentSpec): void {
  const s = ch.state;
  for (const u of committed) {
    if (u.kind === 'add') {
      const forced = s.inboundFailures.findIndex((f) => f.id === u.htlc.id);
      if (forced >= 0) {
        const code = s.inboundFailures[forced]!.failureCode;
        s.inboundFailures.splice(forced, 1);
        core.failInbound(ch, u.htlc, code);
      } else core.lockedIn(ch, u.htlc);
    } else if (u.kind === 'fail' || u.kind === 'fail_malformed') {
      const htlc = findHtlc(revokedSpec, 'out', u.id);
      if (htlc?.source === undefined) continue;
      const failure =
        u.kind === 'fail'
          ? { kind: 'fail' as const, reason: u.reason, ...(u.attribution !== undefined && { attribution: u.attribution }) }
          : { kind: 'malformed' as const, failureCode: u.failureCode, sha256OfOnion: u.sha256OfOnion };
      core.outboundFailed(htlc.source, failure, ch, htlc.id, htlc.amountMsat);
    }
  }
}

/** After every state change: shutdown progress (closing negotiation starts when the channel is empty). */
function afterStateChange(core: ManagerCore, ch: FundedChannel, epoch: number): void {
  core.afterStateChange(ch, epoch);
}

/** What taking the holding cell gives: the updates (with their messages) and what stays. */
interface HoldingCellTake {
  readonly updates: Update[];
  readonly messages: Message[];
  readonly remaining: HoldingCellUpdate[];
  readonly fee: number | undefined;
  readonly keepFee: number | undefined;
  readonly failedAdds: { update: Extract<HoldingCellUpdate, { kind: 'add' }>; reason: string }[];
  readonly nextHtlcId: bigint;
  /** How many holding-cell entries were looked at (entries appended meanwhile stay). */
  readonly taken: number;
}

function takeHoldingCell(core: ManagerCore, ch: FundedChannel): HoldingCellTake {
  const s = ch.state;
  const updates: Update[] = [];
  const messages: Message[] = [];
  const failedAdds: HoldingCellTake['failedAdds'] = [];
  const remaining: HoldingCellUpdate[] = [];
  let nextHtlcId = s.localNextHtlcId;
  // A scratch view of the state with the updates taken so far, for the checks.
  const scratch: ChannelState = { ...s, holdingCell: [], holdingCellFee: undefined, localChanges: { ...s.localChanges, proposed: [...s.localChanges.proposed] } };
  const limitingFeerate = core.feerate('maximum_fee_estimate');
  const id = ch.channelId;
  for (const u of s.holdingCell) {
    if (u.kind === 'add') {
      if (s.shutdownSent || s.remoteShutdownScript !== undefined || s.status !== 'ready') {
        failedAdds.push({ update: u, reason: 'channel is closing' });
        continue;
      }
      const limits = outboundLimits(scratch, limitingFeerate);
      if (u.amountMsat > limits.nextOutboundHtlcLimitMsat || u.amountMsat < limits.nextOutboundHtlcMinimumMsat) {
        failedAdds.push({ update: u, reason: `amount ${u.amountMsat} outside [${limits.nextOutboundHtlcMinimumMsat}, ${limits.nextOutboundHtlcLimitMsat}]` });
        continue;
      }
      const htlc: Htlc = {
        id: nextHtlcId++,
        amountMsat: u.amountMsat,
        paymentHash: u.paymentHash,
        cltvExpiry: u.cltvExpiry,
        onion: u.onion,
        ...(u.blindingPoint !== undefined && { blindingPoint: u.blindingPoint }),
        source: u.source,
      };
      const upd: Update = { kind: 'add', htlc };
      updates.push(upd);
      (scratch.localChanges.proposed as Update[]).push(upd);
      messages.push({
        type: 'update_add_htlc',
        channelId: id,
        id: htlc.id,
        amountMsat: htlc.amountMsat,
        paymentHash: htlc.paymentHash,
        cltvExpiry: htlc.cltvExpiry,
        onionRoutingPacket: htlc.onion,
        ...(htlc.blindingPoint !== undefined && { tlvs: { blindedPath: htlc.blindingPoint as never } }),
      });
    } else {
      const ok = removableIncoming(scratch, u.id);
      if ('why' in ok) {
        core.log('debug', `dropping held ${u.kind} of HTLC ${u.id}: ${ok.why}`, id);
        continue;
      }
      updates.push(u);
      (scratch.localChanges.proposed as Update[]).push(u);
      messages.push(removalMessage(id, u));
    }
  }
  let fee: number | undefined;
  let keepFee: number | undefined;
  if (s.holdingCellFee !== undefined && s.params.isOutbound && (s.status === 'ready' || s.status === 'shutting_down')) {
    if (canSendFeerate(scratch, s.holdingCellFee, limitingFeerate)) {
      fee = s.holdingCellFee;
      updates.push({ kind: 'fee', feeratePerKw: fee });
      messages.push({ type: 'update_fee', channelId: id, feeratePerKw: fee });
    } else {
      core.log('debug', `cannot afford update_fee to ${s.holdingCellFee} sat/kw yet`, id);
      keepFee = s.holdingCellFee;
    }
  }
  return { updates, messages, remaining, fee, keepFee, failedAdds, nextHtlcId, taken: s.holdingCell.length };
}

function removalMessage(channelId: ChannelId, u: Exclude<HoldingCellUpdate, { kind: 'add' }>): Message {
  switch (u.kind) {
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
  }
}

/**
 * Sends what the holding cell holds plus a commitment_signed covering our
 * updates and the counterparty's acked ones, when we may (connected,
 * reestablished, not awaiting a revocation). The monitor gets the new
 * counterparty commitment before the messages leave.
 */
export async function sendCommitment(core: ManagerCore, ch: FundedChannel, epoch: number): Promise<void> {
  const s = ch.state;
  if (!ch.canSendUpdates || s.nextRemoteCommit !== undefined) return;
  if (s.status !== 'ready' && s.status !== 'shutting_down') return;
  const take = takeHoldingCell(core, ch);
  const proposed = [...s.localChanges.proposed, ...take.updates];
  const commitNeeded = proposed.length > 0 || s.remoteChanges.acked.length > 0;
  if (!commitNeeded) {
    applyTake(core, ch, take);
    return;
  }
  const spec = reduceSpec(s.remoteCommit.spec, proposed, s.remoteChanges.acked);
  const number = s.remoteCommit.number + 1n;
  const point = s.remoteNextPoint;
  const data = commitmentData(spec, false, number, point);
  const sigs = await ch.signer.signCounterpartyCommitment(data);
  if (ch.closed) return;
  const txid = counterpartyCommitmentTxid(ch.signerParams, data, core.backend);
  s.localChanges = { ...s.localChanges, proposed };
  applyTake(core, ch, take);
  applySentCommitment(s, { number, spec, txid, point, signature: sigs.commitmentSignature, htlcSignatures: sigs.htlcSignatures });
  core.updateMonitor(ch, [{ kind: 'latest_counterparty_commitment', commitment: { data, txid } }]);
  for (const m of take.messages) core.send(ch, m, epoch);
  core.send(ch, { type: 'commitment_signed', channelId: ch.channelId, signature: sigs.commitmentSignature, htlcSignatures: sigs.htlcSignatures }, epoch);
}

function applyTake(core: ManagerCore, ch: FundedChannel, take: HoldingCellTake): void {
  const s = ch.state;
  // addHtlc appends synchronously (so its limits see earlier calls): keep what arrived while we signed.
  s.holdingCell = [...take.remaining, ...s.holdingCell.slice(take.taken)];
  s.holdingCellFee = take.keepFee;
  s.localNextHtlcId = take.nextHtlcId;
  for (const f of take.failedAdds) core.outboundFailed(f.update.source, { kind: 'local', reason: f.reason, failureCode: 0x1007 }, ch, undefined, f.update.amountMsat);
}

/** Queues a holding-cell flush (coalesced: one per burst of calls). */
export function requestFlush(core: ManagerCore, ch: FundedChannel): void {
  if (ch.flushQueued) return;
  ch.flushQueued = true;
  core.enqueue(ch, async (epoch) => {
    ch.flushQueued = false;
    await sendCommitment(core, ch, epoch);
    afterStateChange(core, ch, epoch);
  });
}

/** True while anything waits to be sent or signed (used by shutdown and tests). */
export function channelBusy(s: ChannelState): boolean {
  return hasPendingUpdates(s);
}

/** Checks a preimage against an incoming HTLC. */
export function preimageMatches(htlc: Htlc, preimage: Uint8Array): boolean {
  return equalBytes(sha256(preimage), htlc.paymentHash);
}
