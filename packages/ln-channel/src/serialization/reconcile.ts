// Start-up reconciliation of a stored ChannelManager with its monitors, after
// rust-lightning 0.1's `ChannelManager::read` (lightning/src/ln/channelmanager.rs,
// `impl ReadableArgs<ChannelManagerReadArgs> for (BlockHash, ChannelManager)`).
// The rules, in LDK's order:
//
// 1. A channel whose monitor is ahead of it (a newer update id, or a newer
//    holder or counterparty commitment) comes from a stale manager: LDK logs
//    "A ChannelManager is stale compared to the current ChannelMonitor!" and
//    calls `force_shutdown(true, ClosureReason::OutdatedChannelManager)` with the
//    close update's id forced to the MONITOR's latest + 1. The manager's own
//    (stale, possibly revoked) commitment is never used: the monitor broadcasts
//    the latest holder commitment it has, which is current. HTLCs the channel
//    has and the newer monitor does not were removed since: they are failed back.
// 2. A channel with no monitor: if the monitor's first persistence was still in
//    flight (`is_awaiting_initial_mon_persist`), the funding was never broadcast
//    and the channel is dropped (ClosureReason::DisconnectedPeer); otherwise LDK
//    refuses to start ("Missing ChannelMonitor ... needed by ChannelManager").
// 3. In-flight updates (`in_flight_monitor_updates`) the monitor already has are
//    dropped; the others are replayed to it (`MonitorUpdateRegeneratedOnStartup`).
//    If the channel is still ahead of the monitor plus everything replayable,
//    LDK refuses to start (DecodeError::DangerousValue): the Watch contract was broken.
// 4. A monitor with no channel in the manager that can still be updated gets a
//    `ChannelForceClosed { should_broadcast: true }` at its latest id + 1.
// 5. Preimages the monitors learned on chain for HTLCs we offered are claimed
//    upstream again (LDK's pending_claims_to_replay); it is idempotent.
//
// Signers of restored channels are brought back to their state in the order
// ln-signer's InMemorySigner class comment gives: validateHolderCommitment with
// the current holder commitment, signCounterpartyCommitment with the latest
// counterparty commitment, validateCounterpartyRevocation with the newest secret.

import type { ChannelMonitorUpdate, ChannelMonitorView } from 'ln-chain-api';
import { CounterpartySecrets, commitmentNumberToIndex } from 'ln-tx';
import { type ChannelId, toHex } from 'ln-types';
import { ChannelError } from '../errors.js';
import { dropUncommittedUpdates } from '../channel/changes.js';
import { channelParameters, commitmentData } from '../channel/commitment.js';
import type { ChannelState } from '../channel/types.js';
import type { FundedChannel } from '../manager/channel-handle.js';
import type { ManagerCore } from '../manager/core.js';
import { MonitorGate } from '../manager/monitor-gate.js';
import type { ReadResult, StoredChannel, StoredManager } from './manager-codec.js';

const hex = toHex;

/** HTLCs we offered in a channel's state (in any commitment or change list), with their sources. */
function outboundHtlcs(s: ChannelState): { source: Uint8Array; paymentHash: Uint8Array; amountMsat: bigint; id: bigint }[] {
  const seen = new Map<string, { source: Uint8Array; paymentHash: Uint8Array; amountMsat: bigint; id: bigint }>();
  const specs = [s.localCommit.spec, s.remoteCommit.spec, ...(s.nextRemoteCommit ? [s.nextRemoteCommit.spec] : [])];
  for (const spec of specs) for (const d of spec.htlcs) if (d.direction === 'out' && d.htlc.source !== undefined) seen.set(`${d.htlc.id}`, { source: d.htlc.source, paymentHash: d.htlc.paymentHash, amountMsat: d.htlc.amountMsat, id: d.htlc.id });
  for (const u of [...s.localChanges.proposed, ...s.localChanges.signed, ...s.localChanges.acked]) {
    if (u.kind === 'add' && u.htlc.source !== undefined) seen.set(`${u.htlc.id}`, { source: u.htlc.source, paymentHash: u.htlc.paymentHash, amountMsat: u.htlc.amountMsat, id: u.htlc.id });
  }
  return [...seen.values()];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Applies the rules of the file comment. */
export async function reconcile(core: ManagerCore, stored: StoredManager, monitors: readonly ChannelMonitorView[]): Promise<ReadResult> {
  const byId = new Map<string, ChannelMonitorView>();
  for (const m of monitors) byId.set(hex(m.channelId), m);
  const used = new Set<string>();
  const staleChannels: ChannelId[] = [];
  const orphanMonitors: ChannelId[] = [];
  const discardedChannels: ChannelId[] = [];
  const replays: { gate: MonitorGate; update: ChannelMonitorUpdate; ch?: FundedChannel }[] = [];

  for (const stc of stored.channels) {
    const s = stc.state;
    const id = s.params.channelId;
    const monitor = byId.get(hex(id));
    if (monitor === undefined) {
      // Rule 2.
      if (stc.inFlight.some((u) => u.updateId === 0n)) {
        discardedChannels.push(id);
        core.emit({ kind: 'channel_closed', channelId: id, userChannelId: s.params.userChannelId, reason: { kind: 'disconnected_peer' }, counterpartyNodeId: s.params.counterpartyNodeId, channelCapacitySat: s.params.channelValueSat });
        if (s.fundingTx !== undefined && !s.fundingBroadcast) core.emit({ kind: 'discard_funding', channelId: id, fundingTx: s.fundingTx });
        continue;
      }
      throw new ChannelError('dangerous_state', `missing ChannelMonitor for channel ${hex(id)}: the Watch contract requires monitors to be persisted before the manager moves on`);
    }
    used.add(hex(id));
    const latestCounterparty = s.nextRemoteCommit?.number ?? s.remoteCommit.number;
    const stale =
      s.latestMonitorUpdateId < monitor.latestUpdateId ||
      s.localCommit.number < monitor.holderCommitmentNumber ||
      latestCounterparty < monitor.counterpartyCommitmentNumber;
    if (stale) {
      // Rule 1.
      core.log('error', `a ChannelManager is stale compared to the current ChannelMonitor (update ${s.latestMonitorUpdateId} vs ${monitor.latestUpdateId}): force closing, the monitor broadcasts its latest commitment`, id);
      staleChannels.push(id);
      const gate = new MonitorGate(monitor.latestUpdateId);
      const updateId = monitor.latestUpdateId + 1n;
      replays.push({ gate, update: { channelId: id, updateId, steps: [{ kind: 'channel_force_closed', shouldBroadcast: true }] } });
      core.closed.set(hex(id), { channelId: id, counterpartyNodeId: s.params.counterpartyNodeId, latestUpdateId: updateId, gate });
      core.emit({
        kind: 'channel_closed',
        channelId: id,
        userChannelId: s.params.userChannelId,
        reason: { kind: 'outdated_channel_manager' },
        counterpartyNodeId: s.params.counterpartyNodeId,
        channelCapacitySat: s.params.channelValueSat,
        channelFundingTxo: s.params.fundingOutpoint,
        lastLocalBalanceMsat: s.localCommit.spec.toLocalMsat,
      });
      for (const h of outboundHtlcs(s)) {
        if (!monitor.outboundHtlcs.some((m) => sameBytes(m.source, h.source))) {
          core.outboundFailed(h.source, { kind: 'local', reason: 'missing from the newer monitor', failureCode: 0x1007 }, { channelId: id, counterpartyNodeId: s.params.counterpartyNodeId }, h.id, h.amountMsat);
        }
      }
      for (const u of s.holdingCell) if (u.kind === 'add') core.outboundFailed(u.source, { kind: 'local', reason: 'channel closed on restart' }, { channelId: id, counterpartyNodeId: s.params.counterpartyNodeId }, undefined, u.amountMsat);
      continue;
    }
    // Rule 3.
    const pending = stc.inFlight.filter((u) => u.updateId > monitor.latestUpdateId && u.updateId !== 0n);
    const maxReplayable = pending.reduce((m, u) => (u.updateId > m ? u.updateId : m), monitor.latestUpdateId);
    if (s.latestMonitorUpdateId > maxReplayable) {
      throw new ChannelError('dangerous_state', `the ChannelMonitor of ${hex(id)} is stale (update ${monitor.latestUpdateId}, replayable up to ${maxReplayable}) compared to the ChannelManager (${s.latestMonitorUpdateId})`);
    }
    const ch = await restoreChannel(core, stc, monitor.latestUpdateId);
    for (const u of pending) replays.push({ gate: ch.gate, update: u, ch });
  }

  for (const c of stored.closed) {
    const monitor = byId.get(hex(c.channelId));
    const pending = c.inFlight.filter((u) => monitor === undefined || u.updateId > monitor.latestUpdateId);
    if (monitor === undefined && pending.length > 0) {
      throw new ChannelError('dangerous_state', `a ChannelMonitor is missing although updates for it are in flight (${hex(c.channelId)})`);
    }
    if (monitor === undefined) continue;
    used.add(hex(c.channelId));
    const gate = new MonitorGate(monitor.latestUpdateId);
    core.closed.set(hex(c.channelId), { channelId: c.channelId, counterpartyNodeId: c.counterpartyNodeId, latestUpdateId: c.latestUpdateId > monitor.latestUpdateId ? c.latestUpdateId : monitor.latestUpdateId, gate });
    for (const u of pending) replays.push({ gate, update: u });
  }

  for (const m of monitors) {
    if (used.has(hex(m.channelId))) continue;
    // Rule 4.
    const gate = new MonitorGate(m.latestUpdateId);
    const rec = { channelId: m.channelId, counterpartyNodeId: m.counterpartyNodeId, latestUpdateId: m.latestUpdateId, gate };
    core.closed.set(hex(m.channelId), rec);
    if (!m.closed) {
      orphanMonitors.push(m.channelId);
      rec.latestUpdateId = m.latestUpdateId + 1n;
      replays.push({ gate, update: { channelId: m.channelId, updateId: rec.latestUpdateId, steps: [{ kind: 'channel_force_closed', shouldBroadcast: true }] } });
      core.log('warn', 'a ChannelMonitor has no channel in the manager: force closing it', m.channelId);
    }
  }

  for (const r of replays) core.applyUpdate(r.gate, r.update, r.ch);

  // Rule 5: preimages learned on chain are claimed upstream (again, harmlessly if done already).
  for (const m of monitors) {
    for (const h of m.outboundHtlcs) {
      if (h.preimage !== undefined) core.outboundFulfilled(h.source, h.preimage, { channelId: m.channelId, counterpartyNodeId: m.counterpartyNodeId }, undefined, h.amountMsat, true);
    }
  }
  core.markDirty();
  return { staleChannels, orphanMonitors, replayedUpdates: replays.length, discardedChannels };
}

/** Rebuilds a channel object and its signer's state. */
async function restoreChannel(core: ManagerCore, stc: StoredChannel, monitorLatest: bigint): Promise<FundedChannel> {
  try {
    return await restoreChannelUnchecked(core, stc, monitorLatest);
  } catch (cause) {
    // The signer rebuilt and checked every commitment: a stored state that does not match its keys is refused.
    throw new ChannelError('invalid_data', `stored channel ${hex(stc.state.params.channelId)} does not match its keys: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

async function restoreChannelUnchecked(core: ManagerCore, stc: StoredChannel, monitorLatest: bigint): Promise<FundedChannel> {
  const s = stc.state;
  // A restarted channel starts disconnected: what BOLT 2 says to forget on disconnection
  // (the peer's updates not covered by its commitment_signed) is forgotten now, or the
  // peer's retransmission after channel_reestablish would look like a duplicate.
  dropUncommittedUpdates(s);
  s.inboundFailures = s.inboundFailures.filter((f) => f.id < s.remoteNextHtlcId);
  s.closing = undefined;
  if (s.status === 'negotiating_closing') s.status = 'shutting_down';
  const p = s.params;
  const signer = core.signerProvider.deriveChannelSigner(p.channelValueSat, p.channelKeysId);
  const params = channelParameters(p);
  signer.provideChannelParameters(params);
  const localPoint = await signer.getPerCommitmentPoint(s.localCommit.number);
  await signer.validateHolderCommitment(commitmentData(s.localCommit.spec, true, s.localCommit.number, localPoint), s.localCommit.signature, s.localCommit.htlcSignatures);
  const latest = s.nextRemoteCommit ?? s.remoteCommit;
  await signer.signCounterpartyCommitment(commitmentData(latest.spec, false, latest.number, latest.point));
  if (s.remoteCommit.number > 0n) {
    const secret = CounterpartySecrets.deserialize(s.remoteSecrets).get(commitmentNumberToIndex(s.remoteCommit.number - 1n));
    if (secret !== undefined) await signer.validateCounterpartyRevocation(s.remoteCommit.number - 1n, secret);
  }
  const ch = core.makeFunded(s, signer, monitorLatest);
  core.adopt(ch);
  return ch;
}
