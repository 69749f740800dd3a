// Closing: shutdown and closing_signed (BOLT 2 "Channel Close"), force close,
// and the BOLT 1 `error` message.

import { finalizeClosingTx, fundingScript, encodeTx, txidHex, isValidShutdownScript, segwitSighash, SIGHASH_ALL, type Tx } from 'ln-tx';
import { equalBytes } from 'ln-types';
import { supportsFeature, type ClosingSignedMessage, type ShutdownMessage } from 'ln-wire';
import { ApiError, failChannel } from '../errors.js';
import { checkShutdown, closingFeeLimits, closingTransaction, nextClosingStep, readyToNegotiate } from '../channel/closing.js';
import type { FundedChannel } from './channel-handle.js';
import type { ManagerCore } from './core.js';

function anySegwit(core: ManagerCore, ch: FundedChannel): boolean {
  return supportsFeature(core.peer(ch.counterpartyNodeId).features, 'option_shutdown_anysegwit');
}

/**
 * Starts a cooperative close (LDK's close_channel): our shutdown goes out (now
 * or after reconnection); HTLCs in flight drain; then closing_signed.
 */
export function closeChannel(core: ManagerCore, ch: FundedChannel, targetFeerate: number | undefined, script: Uint8Array | undefined): void {
  const s = ch.state;
  if (ch.closed) throw new ApiError('channel_unavailable', 'the channel is closed');
  if (s.shutdownSent) throw new ApiError('api_misuse', 'shutdown already sent');
  if (script !== undefined) {
    if (s.params.holder.upfrontShutdownScript !== undefined && !equalBytes(script, s.params.holder.upfrontShutdownScript)) throw new ApiError('invalid_argument', 'we committed to another upfront shutdown script');
    if (!isValidShutdownScript(script, { anySegwit: anySegwit(core, ch), opReturn: false })) throw new ApiError('incompatible_peer', 'the peer does not accept this shutdown script');
  }
  if (targetFeerate !== undefined) s.targetClosingFeerate = Math.max(253, targetFeerate);
  s.shutdownInitiator ??= 'local';
  core.enqueue(ch, async (epoch) => {
    if (s.shutdownSent) return;
    await sendShutdown(core, ch, epoch, script);
    core.afterStateChange(ch, epoch);
  });
}

async function sendShutdown(core: ManagerCore, ch: FundedChannel, epoch: number, script: Uint8Array | undefined): Promise<void> {
  const s = ch.state;
  const chosen = s.localShutdownScript ?? script ?? (await core.signerProvider.getShutdownScript());
  if (ch.closed) return;
  if (s.localShutdownScript === undefined) {
    s.localShutdownScript = chosen;
    core.updateMonitor(ch, [{ kind: 'shutdown_script', script: chosen }]);
  }
  s.shutdownSent = true;
  if (s.status === 'ready') s.status = 'shutting_down';
  // No new HTLCs after shutdown: fail back the ones still waiting.
  const adds = s.holdingCell.filter((u) => u.kind === 'add');
  s.holdingCell = s.holdingCell.filter((u) => u.kind !== 'add');
  core.failHoldingCell(ch, adds, 'channel is closing');
  if (ch.canSendUpdates) core.send(ch, { type: 'shutdown', channelId: ch.channelId, scriptpubkey: chosen }, epoch);
}

/** The peer's shutdown: checked, answered with ours. */
export async function handleShutdown(core: ManagerCore, ch: FundedChannel, msg: ShutdownMessage, epoch: number): Promise<void> {
  const s = ch.state;
  if (!ch.reestablished) failChannel('shutdown before channel_reestablish');
  checkShutdown(s, msg, anySegwit(core, ch));
  s.remoteShutdownScript = msg.scriptpubkey;
  s.shutdownInitiator ??= 'remote';
  if (s.status === 'ready') s.status = 'shutting_down';
  if (!s.shutdownSent) await sendShutdown(core, ch, epoch, undefined);
  core.afterStateChange(ch, epoch);
}

/** When both shutdowns are done and the channel is empty, negotiation starts (the opener proposes first). */
export async function maybeStartClosing(core: ManagerCore, ch: FundedChannel, epoch: number): Promise<void> {
  const s = ch.state;
  if (ch.closed || !ch.canSendUpdates || !readyToNegotiate(s)) return;
  if (s.status !== 'shutting_down' && s.status !== 'awaiting_channel_ready' && s.status !== 'ready') return;
  s.status = 'negotiating_closing';
  s.closing ??= limits(core, ch);
  if (s.params.isOutbound && s.closing.lastSentFeeSat === undefined) await proposeFee(core, ch, s.closing.minFeeSat, epoch);
}

function limits(core: ManagerCore, ch: FundedChannel): { minFeeSat: bigint; maxFeeSat: bigint } {
  return closingFeeLimits(ch.state, core.feerate('channel_close_minimum'), core.feerate('non_anchor_channel_fee'), ch.state.config.forceCloseAvoidanceMaxFeeSatoshis);
}

async function proposeFee(core: ManagerCore, ch: FundedChannel, feeSat: bigint, epoch: number): Promise<void> {
  const s = ch.state;
  const tx = closingTransaction(s, feeSat, s.params.holder.dustLimitSat);
  const signature = await ch.signer.signClosingTransaction(tx);
  if (ch.closed || s.closing === undefined) return;
  s.closing = { ...s.closing, lastSentFeeSat: feeSat };
  core.send(ch, { type: 'closing_signed', channelId: ch.channelId, feeSatoshis: feeSat, signature, tlvs: { feeRange: { minFeeSatoshis: s.closing.minFeeSat, maxFeeSatoshis: s.closing.maxFeeSat } } }, epoch);
}

/** The counterparty's signature on one of the two closing transaction variants BOLT 3 allows. */
function verifiedVariant(core: ManagerCore, ch: FundedChannel, feeSat: bigint, signature: Uint8Array): Tx | undefined {
  const s = ch.state;
  const p = s.params;
  const script = fundingScript(p.holder.basepoints.fundingPubkey, p.counterparty.basepoints.fundingPubkey);
  const candidates: Tx[] = [];
  for (const dropOurs of [false, true]) {
    try {
      candidates.push(closingTransaction(s, feeSat, p.counterparty.dustLimitSat, dropOurs));
    } catch {
      // no output left in that variant
    }
  }
  for (const tx of candidates) {
    const hash = segwitSighash(tx, 0, script, p.channelValueSat, SIGHASH_ALL);
    if (core.backend.ecdsaVerify(signature, hash, p.counterparty.basepoints.fundingPubkey)) return tx;
  }
  return undefined;
}

/** closing_signed: verify, then agree (sign, broadcast, done) or counter-propose. */
export async function handleClosingSigned(core: ManagerCore, ch: FundedChannel, msg: ClosingSignedMessage, epoch: number): Promise<void> {
  const s = ch.state;
  if (!readyToNegotiate(s)) failChannel('closing_signed before both shutdowns and an empty channel');
  s.status = 'negotiating_closing';
  s.closing ??= limits(core, ch);
  const tx = verifiedVariant(core, ch, msg.feeSatoshis, msg.signature);
  if (tx === undefined) failChannel('closing_signed signature is invalid');
  const step = nextClosingStep(s, s.closing, msg);
  s.closing = { ...s.closing, lastReceivedFeeSat: msg.feeSatoshis, lastReceivedSignature: msg.signature };
  if (step.kind === 'counter') {
    await proposeFee(core, ch, step.feeSat, epoch);
    return;
  }
  const ours = await ch.signer.signClosingTransaction(tx);
  if (ch.closed) return;
  if (step.reply) {
    core.send(ch, { type: 'closing_signed', channelId: ch.channelId, feeSatoshis: step.feeSat, signature: ours, tlvs: { feeRange: { minFeeSatoshis: s.closing.minFeeSat, maxFeeSatoshis: s.closing.maxFeeSat } } }, epoch);
  }
  const p = s.params;
  const signed = finalizeClosingTx(tx, p.holder.basepoints.fundingPubkey, p.counterparty.basepoints.fundingPubkey, ours, msg.signature);
  s.closingTx = encodeTx(signed);
  core.broadcaster.broadcastTransactions([signed]);
  core.log('info', `mutual close at ${step.feeSat} sat fee`, ch.channelId, ch.counterpartyNodeId, { txid: txidHex(signed) });
  core.closeFunded(
    ch,
    { kind: s.shutdownInitiator === 'remote' ? 'counterparty_initiated_cooperative_closure' : 'locally_initiated_cooperative_closure' },
    { broadcast: false },
  );
}
