// A funded channel's state at birth: commitment 0 on both sides, signed both
// ways (funding_created / funding_signed).

import { CounterpartySecrets } from 'ln-tx';
import type { ChannelConfig } from '../config.js';
import type { ChannelParams, ChannelState, CommitmentSpec } from './types.js';
import type { Txid } from 'ln-types';

/** Commitment 0's spec (our point of view): the opener has everything but the pushed amount. */
export function initialSpec(p: Pick<ChannelParams, 'isOutbound' | 'channelValueSat'>, pushMsat: bigint, feeratePerKw: number): CommitmentSpec {
  const total = p.channelValueSat * 1000n;
  const openerMsat = total - pushMsat;
  return {
    htlcs: [],
    toLocalMsat: p.isOutbound ? openerMsat : pushMsat,
    toRemoteMsat: p.isOutbound ? pushMsat : openerMsat,
    feeratePerKw,
  };
}

/** The state of a channel whose commitments 0 are signed both ways. */
export function newChannelState(init: {
  readonly params: ChannelParams;
  readonly spec: CommitmentSpec;
  readonly counterpartySignature: Uint8Array;
  readonly remoteTxid: Txid;
  readonly remoteFirstPoint: Uint8Array;
  readonly fundingTx: Uint8Array | undefined;
  readonly bestHeight: number;
  readonly config: ChannelConfig;
}): ChannelState {
  const p = init.params;
  return {
    params: p,
    status: 'awaiting_channel_ready',
    localCommit: { number: 0n, spec: init.spec, signature: init.counterpartySignature, htlcSignatures: [] },
    remoteCommit: { number: 0n, spec: init.spec, txid: init.remoteTxid, point: init.remoteFirstPoint },
    nextRemoteCommit: undefined,
    // Until channel_ready gives its second point, we cannot sign commitment 1; the first point stands in.
    remoteNextPoint: init.remoteFirstPoint,
    remoteSecrets: new CounterpartySecrets().serialize(),
    localChanges: { proposed: [], signed: [], acked: [] },
    remoteChanges: { proposed: [], acked: [], signed: [] },
    localNextHtlcId: 0n,
    remoteNextHtlcId: 0n,
    holdingCell: [],
    holdingCellFee: undefined,
    resendOrder: 'commitment_first',
    latestMonitorUpdateId: 0n,
    fundingConfirmedHeight: undefined,
    fundingTxIndex: undefined,
    fundingWaitStartHeight: init.bestHeight,
    shortChannelId: undefined,
    channelReadySent: false,
    channelReadyReceived: false,
    counterpartyScidAlias: undefined,
    pendingEventEmitted: false,
    readyEventEmitted: false,
    fundingTx: init.fundingTx,
    fundingBroadcast: false,
    fundingBatchId: undefined,
    localShutdownScript: p.holder.upfrontShutdownScript,
    shutdownSent: false,
    remoteShutdownScript: undefined,
    shutdownInitiator: undefined,
    targetClosingFeerate: undefined,
    closing: undefined,
    closingTx: undefined,
    inboundFailures: [],
    config: init.config,
  };
}
