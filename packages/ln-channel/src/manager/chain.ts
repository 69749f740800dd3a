// Chain events (Listen / Confirm): funding confirmations (channel_ready, short
// channel ids), reorganizations, funding outputs spent on chain, and the
// fundee's give-up deadline for a funding transaction that never confirms.

import type { RelevantTxid } from 'ln-chain-api';
import { type BlockHeader, type BlockTransaction, blockHeaderHash, fundingScript, p2wsh } from 'ln-tx';
import { type Txid, equalBytes, shortChannelIdFromParts, toHex } from 'ln-types';
import { FUNDING_CONF_DEADLINE_BLOCKS } from '../channel/constants.js';
import type { FundedChannel } from './channel-handle.js';
import type { ManagerCore } from './core.js';
import { maybeSendChannelReady } from './open-flow.js';

/** Relevant transactions confirmed in a block at `height`. */
export function transactionsConfirmed(core: ManagerCore, header: BlockHeader, txs: readonly BlockTransaction[], height: number): void {
  const channels = core.fundedChannels();
  if (channels.length === 0) return;
  const byFundingTxid = new Map<string, FundedChannel[]>();
  const byOutpoint = new Map<string, FundedChannel>();
  for (const ch of channels) {
    const fo = ch.state.params.fundingOutpoint;
    byOutpoint.set(`${toHex(fo.txid)}:${fo.index}`, ch);
    if (ch.state.fundingConfirmedHeight === undefined) {
      const k = toHex(fo.txid);
      byFundingTxid.set(k, [...(byFundingTxid.get(k) ?? []), ch]);
    }
  }
  for (const t of txs) {
    const waiting = byFundingTxid.get(toHex(t.txid));
    if (waiting !== undefined) for (const ch of waiting) fundingConfirmed(core, ch, t, height);
    for (const input of t.tx.inputs) {
      const ch = byOutpoint.get(`${toHex(input.previousOutput.txid)}:${input.previousOutput.index}`);
      if (ch !== undefined && !ch.closed) {
        // A commitment (or an unknown spend) confirmed: the monitor claims what is ours.
        core.closeFunded(ch, { kind: 'commitment_tx_confirmed' }, { broadcast: false });
      }
    }
  }
  core.highestSeenTimestamp = Math.max(core.highestSeenTimestamp, header.time);
}

function fundingConfirmed(core: ManagerCore, ch: FundedChannel, t: BlockTransaction, height: number): void {
  const s = ch.state;
  const p = s.params;
  const out = t.tx.outputs[p.fundingOutpoint.index];
  const script = p2wsh(fundingScript(p.holder.basepoints.fundingPubkey, p.counterparty.basepoints.fundingPubkey));
  if (out === undefined || !equalBytes(out.script, script) || out.amount !== p.channelValueSat) {
    core.closeFunded(ch, { kind: 'processing_error', error: 'the funding transaction does not pay the funding script' }, { broadcast: true, errorMessage: 'funding transaction output mismatch' });
    return;
  }
  s.fundingConfirmedHeight = height;
  s.fundingTxIndex = t.index;
  s.fundingBroadcast = true;
  s.fundingTx = undefined;
  const scid = shortChannelIdFromParts(height, t.index, p.fundingOutpoint.index);
  s.shortChannelId = scid;
  core.byScid.set(scid, ch);
  core.markDirty();
}

/** A transaction we said was relevant left the best chain. */
export function transactionUnconfirmed(core: ManagerCore, txid: Txid): void {
  for (const ch of core.fundedChannels()) {
    const s = ch.state;
    if (s.fundingConfirmedHeight === undefined || !equalBytes(s.params.fundingOutpoint.txid, txid)) continue;
    unconfirm(core, ch);
  }
}

function unconfirm(core: ManagerCore, ch: FundedChannel): void {
  const s = ch.state;
  if (s.channelReadySent && s.params.minimumDepth > 0) {
    // LDK: a funding transaction reorged out after we locked the channel in is a processing error.
    core.closeFunded(ch, { kind: 'processing_error', error: 'funding transaction was un-confirmed' }, { broadcast: true, errorMessage: 'funding transaction was reorganized out' });
    return;
  }
  if (s.shortChannelId !== undefined && core.byScid.get(s.shortChannelId) === ch) core.byScid.delete(s.shortChannelId);
  s.fundingConfirmedHeight = undefined;
  s.fundingTxIndex = undefined;
  s.shortChannelId = undefined;
  core.markDirty();
}

/** The best chain's tip changed. */
export function bestBlockUpdated(core: ManagerCore, header: BlockHeader, height: number): void {
  core.bestBlock = { blockHash: blockHeaderHash(header), height };
  core.highestSeenTimestamp = Math.max(core.highestSeenTimestamp, header.time);
  for (const ch of core.fundedChannels()) {
    const s = ch.state;
    if (s.fundingConfirmedHeight !== undefined && s.fundingConfirmedHeight > height) {
      unconfirm(core, ch);
      continue;
    }
    maybeSendChannelReady(core, ch);
    // BOLT 2: the fundee forgets a channel whose funding does not confirm within 2016 blocks.
    if (!s.params.isOutbound && s.fundingConfirmedHeight === undefined && s.params.minimumDepth > 0 && height >= s.fundingWaitStartHeight + FUNDING_CONF_DEADLINE_BLOCKS) {
      core.closeFunded(ch, { kind: 'funding_timed_out' }, { broadcast: false, errorMessage: 'funding transaction never confirmed' });
    }
  }
  core.handler.bestBlockUpdated(height, core.highestSeenTimestamp);
  core.markDirty();
}

/** Funding transactions whose confirmation we depend on. */
export function relevantTxids(core: ManagerCore): RelevantTxid[] {
  const out: RelevantTxid[] = [];
  for (const ch of core.fundedChannels()) {
    const s = ch.state;
    if (s.fundingConfirmedHeight !== undefined) out.push({ txid: s.params.fundingOutpoint.txid, height: s.fundingConfirmedHeight });
  }
  return out;
}
