// Opening a channel, both directions (BOLT 2 "Channel Establishment", v1):
// open_channel -> accept_channel -> (FundingGenerationReady, the user's funding
// transaction) -> funding_created -> funding_signed -> monitor -> broadcast ->
// confirmations -> channel_ready both ways.

import { ALL_CHANNELS, type ChannelId, type PublicKey, type NodeId, type OutPoint, channelIdFromFunding, equalBytes, outPoint, shortChannelId, toHex } from 'ln-types';
import { encodeTx, fundingScript, p2wsh, txidOf, type Tx } from 'ln-tx';
import { supportsFeature, type ChannelKeys, type AcceptChannelMessage, type ChannelReadyMessage, type FundingCreatedMessage, type FundingSignedMessage, type OpenChannelMessage } from 'ln-wire';
import type { NewChannelMonitor } from 'ln-chain-api';
import type { UserConfig } from '../config.js';
import { ApiError, ProtocolViolation, failChannel } from '../errors.js';
import { acceptableInboundType, downgradeChannelType, encodeChannelType, proposeChannelType } from '../channel/channel-type.js';
import { channelParameters, checkHolderCommitmentSignatures, commitmentData, counterpartyCommitmentTxid } from '../channel/commitment.js';
import { checkAcceptChannel, checkOpenChannel, holderSideParams } from '../channel/opening.js';
import { initialSpec, newChannelState } from '../channel/state.js';
import type { ChannelParams } from '../channel/types.js';
import { MAX_FUNDING_SATOSHIS_NO_WUMBO } from '../channel/constants.js';
import { type FundedChannel, UnfundedChannel } from './channel-handle.js';
import type { ManagerCore } from './core.js';
import { feeBounds, ourInitFeatures } from './policy.js';

const hex = toHex;

/** A random 32-byte id (temporary channel ids, aliases). */
function randomId(core: ManagerCore): Uint8Array {
  return core.entropy.getSecureRandomBytes().slice(0, 32);
}

/** A random short channel id alias (LDK draws its aliases from fake block heights; any unused value works). */
export function randomScidAlias(core: ManagerCore): bigint {
  const b = core.entropy.getSecureRandomBytes();
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(b[i]!);
  // Keep it in the range of real-looking ids (block height below 2^23) but never 0.
  return (v & 0x7fffffffffffffn) | 1n;
}

/**
 * Starts opening a channel to a connected peer (LDK's create_channel): returns
 * the temporary channel id; open_channel goes out once the signer answered.
 */
export function createChannel(core: ManagerCore, counterparty: NodeId, channelValueSat: bigint, pushMsat: bigint, userChannelId: bigint, config: UserConfig): ChannelId {
  const peer = core.peers.get(hex(counterparty));
  if (peer === undefined || !peer.connected) throw new ApiError('channel_unavailable', 'not connected to the peer');
  const wumbo = supportsFeature(peer.features, 'option_support_large_channel');
  if (channelValueSat < 1000n) throw new ApiError('invalid_argument', 'channel value below 1000 sat');
  if (!wumbo && channelValueSat > MAX_FUNDING_SATOSHIS_NO_WUMBO) throw new ApiError('invalid_argument', 'channel value above 2^24 - 1 sat without option_support_large_channel');
  if (pushMsat > channelValueSat * 1000n) throw new ApiError('invalid_argument', 'push_msat above the channel value');
  if (config.channelHandshakeConfig.ourToSelfDelay < 144) throw new ApiError('invalid_argument', 'our_to_self_delay below 144 puts funds at risk');
  const temporaryChannelId = randomId(core) as ChannelId;
  const channelKeysId = core.signerProvider.generateChannelKeysId(false, userChannelId);
  const signer = core.signerProvider.deriveChannelSigner(channelValueSat, channelKeysId);
  const announced = config.channelHandshakeConfig.announceForForwarding;
  const channelType = proposeChannelType(config.channelHandshakeConfig, peer.features, announced);
  const feeratePerKw = core.feerate(channelType.format === 'anchors' ? 'anchor_channel_fee' : 'non_anchor_channel_fee');
  const ref: { ch?: UnfundedChannel } = {};
  const ch = new UnfundedChannel({
    stage: 'open_sent',
    temporaryChannelId,
    counterpartyNodeId: counterparty,
    isOutbound: true,
    userChannelId,
    channelValueSat,
    pushMsat,
    channelKeysId,
    signer,
    channelType,
    feeratePerKw,
    announced,
    holder: holderSideParams(channelValueSat, config, signer.pubkeys, undefined),
    minimumDepth: 0,
    destinationScript: new Uint8Array(0),
    queue: core.newQueue(() => ref.ch?.successor ?? ref.ch),
  });
  ref.ch = ch;
  core.register(temporaryChannelId, ch);
  core.enqueue(ch, async () => {
    await prepareHolderScripts(core, ch, config, peer.features);
    await sendOpenChannel(core, ch);
  });
  return temporaryChannelId;
}

async function prepareHolderScripts(core: ManagerCore, ch: UnfundedChannel, config: UserConfig, theirInit: Uint8Array): Promise<void> {
  ch.destinationScript = await core.signerProvider.getDestinationScript(ch.channelKeysId);
  if (config.channelHandshakeConfig.commitUpfrontShutdownPubkey && supportsFeature(theirInit, 'option_upfront_shutdown_script')) {
    const script = await core.signerProvider.getShutdownScript();
    ch.holder = { ...ch.holder, upfrontShutdownScript: script };
  }
}

async function sendOpenChannel(core: ManagerCore, ch: UnfundedChannel): Promise<void> {
  const firstPoint = await ch.signer.getPerCommitmentPoint(0n);
  const h = ch.holder;
  const theirInit = core.peer(ch.counterpartyNodeId).features;
  core.sendDirect(ch.counterpartyNodeId, {
    type: 'open_channel',
    chainHash: core.chainHash,
    temporaryChannelId: ch.temporaryChannelId,
    fundingSatoshis: ch.channelValueSat,
    pushMsat: ch.pushMsat,
    dustLimitSatoshis: h.dustLimitSat,
    maxHtlcValueInFlightMsat: h.maxHtlcValueInFlightMsat,
    channelReserveSatoshis: h.channelReserveSat,
    htlcMinimumMsat: h.htlcMinimumMsat,
    feeratePerKw: ch.feeratePerKw,
    toSelfDelay: h.toSelfDelay,
    maxAcceptedHtlcs: h.maxAcceptedHtlcs,
    ...keysOf(h.basepoints, firstPoint),
    channelFlags: ch.announced ? 1 : 0,
    tlvs: {
      ...(supportsFeature(theirInit, 'option_upfront_shutdown_script') ? { upfrontShutdownScript: h.upfrontShutdownScript ?? new Uint8Array(0) } : {}),
      channelType: encodeChannelType(ch.channelType),
    },
  });
}

function keysOf(b: { fundingPubkey: Uint8Array; revocationBasepoint: Uint8Array; paymentBasepoint: Uint8Array; delayedPaymentBasepoint: Uint8Array; htlcBasepoint: Uint8Array }, firstPoint: Uint8Array) {
  return {
    fundingPubkey: b.fundingPubkey,
    revocationBasepoint: b.revocationBasepoint,
    paymentBasepoint: b.paymentBasepoint,
    delayedPaymentBasepoint: b.delayedPaymentBasepoint,
    htlcBasepoint: b.htlcBasepoint,
    firstPerCommitmentPoint: firstPoint,
  } as ChannelKeys;
}

/**
 * After an `error` on our open_channel, retry once with a weaker channel type
 * (LDK's maybe_handle_error_without_close) instead of giving up.
 * @returns true when a retry was sent
 */
export function retryOpenWithWeakerType(core: ManagerCore, ch: UnfundedChannel): boolean {
  if (!ch.isOutbound || ch.stage !== 'open_sent') return false;
  const weaker = downgradeChannelType(ch.channelType);
  if (weaker === undefined) return false;
  ch.channelType = weaker;
  core.log('info', `peer refused channel type; retrying as ${weaker.format}`, ch.temporaryChannelId, ch.counterpartyNodeId);
  core.enqueue(ch, () => sendOpenChannel(core, ch));
  return true;
}

// ---- inbound -------------------------------------------------------------

/** open_channel from a peer: checked, then accepted automatically or offered to the user. */
export function handleOpenChannel(core: ManagerCore, peer: NodeId, msg: OpenChannelMessage): void {
  if (!equalBytes(msg.chainHash, core.chainHash)) {
    core.sendDirect(peer, errorFor(msg.temporaryChannelId, 'unknown chain_hash'));
    return;
  }
  if (!core.config.acceptInboundChannels) {
    core.sendDirect(peer, errorFor(msg.temporaryChannelId, 'not accepting inbound channels'));
    return;
  }
  if (core.channels.has(hex(msg.temporaryChannelId))) {
    core.sendDirect(peer, errorFor(msg.temporaryChannelId, 'temporary_channel_id already in use'));
    return;
  }
  const theirInit = core.peer(peer).features;
  let checked;
  try {
    checked = checkOpenChannel(msg, core.config, theirInit, ourInitFeatures(core.config), (format) => feeBounds(core, format), core.backend);
    const why = acceptableInboundType(checked.channelType, core.config.channelHandshakeConfig, theirInit, (msg.channelFlags & 1) === 1);
    if (why !== undefined) failChannel(why);
  } catch (e) {
    if (e instanceof ProtocolViolation) {
      core.log('info', `refusing open_channel: ${e.message}`, msg.temporaryChannelId, peer);
      core.sendDirect(peer, errorFor(msg.temporaryChannelId, e.message));
      return;
    }
    throw e;
  }
  const userChannelId = 0n;
  const channelKeysId = core.signerProvider.generateChannelKeysId(true, userChannelId);
  const signer = core.signerProvider.deriveChannelSigner(msg.fundingSatoshis, channelKeysId);
  const ref: { ch?: UnfundedChannel } = {};
  const ch = new UnfundedChannel({
    stage: 'awaiting_user_accept',
    temporaryChannelId: msg.temporaryChannelId,
    counterpartyNodeId: peer,
    isOutbound: false,
    userChannelId,
    channelValueSat: msg.fundingSatoshis,
    pushMsat: msg.pushMsat,
    channelKeysId,
    signer,
    channelType: checked.channelType,
    feeratePerKw: msg.feeratePerKw,
    announced: (msg.channelFlags & 1) === 1,
    holder: holderSideParams(msg.fundingSatoshis, core.config, signer.pubkeys, undefined),
    minimumDepth: Math.max(1, core.config.channelHandshakeConfig.minimumDepth),
    destinationScript: new Uint8Array(0),
    queue: core.newQueue(() => ref.ch?.successor ?? ref.ch),
  });
  ref.ch = ch;
  ch.counterparty = checked.counterparty;
  ch.counterpartyFirstPoint = msg.firstPerCommitmentPoint;
  ch.openMessage = msg;
  core.register(msg.temporaryChannelId, ch);
  if (core.config.manuallyAcceptInboundChannels) {
    core.emit({
      kind: 'open_channel_request',
      temporaryChannelId: msg.temporaryChannelId,
      counterpartyNodeId: peer,
      fundingSatoshis: msg.fundingSatoshis,
      pushMsat: msg.pushMsat,
      channelType: encodeChannelType(checked.channelType),
      isAnnounced: ch.announced,
    });
    core.notify();
    return;
  }
  if (checked.channelType.zeroconf) {
    core.closeUnfunded(ch, { kind: 'processing_error', error: 'zero-conf needs manual acceptance' }, 'zero-conf channels must be accepted manually');
    return;
  }
  acceptInbound(core, ch, userChannelId, false);
}

/** The user (or automatic acceptance) accepts an inbound channel: accept_channel goes out. */
export function acceptInbound(core: ManagerCore, ch: UnfundedChannel, userChannelId: bigint, trusted0conf: boolean): void {
  if (ch.stage !== 'awaiting_user_accept') throw new ApiError('api_misuse', 'the channel is not awaiting acceptance');
  if (ch.channelType.zeroconf && !trusted0conf) throw new ApiError('api_misuse', 'a zero-conf channel type needs acceptInboundChannelFromTrustedPeer0conf');
  ch.stage = 'accept_sent';
  ch.trusted0conf = trusted0conf;
  (ch as { userChannelId: bigint }).userChannelId = userChannelId;
  if (trusted0conf) ch.minimumDepth = 0;
  const open = ch.openMessage!;
  core.enqueue(ch, async () => {
    await prepareHolderScripts(core, ch, core.config, core.peer(ch.counterpartyNodeId).features);
    const firstPoint = await ch.signer.getPerCommitmentPoint(0n);
    const h = ch.holder;
    const theirInit = core.peer(ch.counterpartyNodeId).features;
    core.sendDirect(ch.counterpartyNodeId, {
      type: 'accept_channel',
      temporaryChannelId: ch.temporaryChannelId,
      dustLimitSatoshis: h.dustLimitSat,
      maxHtlcValueInFlightMsat: h.maxHtlcValueInFlightMsat,
      channelReserveSatoshis: h.channelReserveSat,
      htlcMinimumMsat: h.htlcMinimumMsat,
      minimumDepth: ch.minimumDepth,
      toSelfDelay: h.toSelfDelay,
      maxAcceptedHtlcs: h.maxAcceptedHtlcs,
      ...keysOf(h.basepoints, firstPoint),
      tlvs: {
        ...(supportsFeature(theirInit, 'option_upfront_shutdown_script') ? { upfrontShutdownScript: h.upfrontShutdownScript ?? new Uint8Array(0) } : {}),
        ...(open.tlvs?.channelType !== undefined && { channelType: encodeChannelType(ch.channelType) }),
      },
    });
  });
}

// ---- outbound: accept_channel and funding --------------------------------

export function handleAcceptChannel(core: ManagerCore, ch: UnfundedChannel, msg: AcceptChannelMessage): void {
  if (!ch.isOutbound || ch.stage !== 'open_sent') failChannel('accept_channel at a strange time');
  const theirInit = core.peer(ch.counterpartyNodeId).features;
  const { counterparty, minimumDepth } = checkAcceptChannel(msg, core.config, ch.channelValueSat, ch.holder.channelReserveSat, ch.channelType, theirInit, ourInitFeatures(core.config), core.backend);
  ch.counterparty = counterparty;
  ch.counterpartyFirstPoint = msg.firstPerCommitmentPoint;
  ch.minimumDepth = minimumDepth;
  ch.stage = 'awaiting_funding_tx';
  core.emit({
    kind: 'funding_generation_ready',
    temporaryChannelId: ch.temporaryChannelId,
    counterpartyNodeId: ch.counterpartyNodeId,
    channelValueSat: ch.channelValueSat,
    outputScript: p2wsh(fundingScript(ch.holder.basepoints.fundingPubkey, counterparty.basepoints.fundingPubkey)),
    userChannelId: ch.userChannelId,
  });
}

/**
 * The user's funding transaction for one or several (batch) channels: checked
 * now (every output found, inputs segwit), funding_created sent when signed.
 */
export function fundingTransactionGenerated(core: ManagerCore, channels: readonly UnfundedChannel[], tx: Tx): void {
  if (channels.length === 0) throw new ApiError('invalid_argument', 'no channel to fund');
  const outpoints: OutPoint[] = [];
  const txid = txidOf(tx);
  for (const ch of channels) {
    if (!ch.isOutbound || ch.stage !== 'awaiting_funding_tx' || ch.counterparty === undefined) throw new ApiError('api_misuse', 'the channel is not awaiting its funding transaction');
    const script = p2wsh(fundingScript(ch.holder.basepoints.fundingPubkey, ch.counterparty.basepoints.fundingPubkey));
    const matches = tx.outputs.map((o, i) => [o, i] as const).filter(([o]) => equalBytes(o.script, script) && o.amount === ch.channelValueSat);
    if (matches.length !== 1) throw new ApiError('invalid_argument', 'the funding transaction must have exactly one output with the funding script and channel value');
    outpoints.push(outPoint(txid, matches[0]![1]));
  }
  if (tx.inputs.length === 0) throw new ApiError('invalid_argument', 'the funding transaction has no inputs');
  if (tx.inputs.some((i) => i.witness === undefined || i.witness.length === 0)) {
    throw new ApiError('invalid_argument', 'the funding transaction must be signed and spend segwit outputs only (its txid must not change)');
  }
  const raw = encodeTx(tx);
  const batchId = channels.length > 1 ? hex(txid) : undefined;
  channels.forEach((ch, i) => {
    ch.fundingTx = raw;
    ch.batchId = batchId;
    ch.stage = 'funding_created_sent';
    const point = outpoints[i]!;
    core.enqueue(ch, () => sendFundingCreated(core, ch, point));
  });
}

function channelParamsOf(core: ManagerCore, ch: UnfundedChannel, fundingOutpoint: OutPoint): ChannelParams {
  const counterparty = ch.counterparty!;
  return {
    channelId: channelIdFromFunding(fundingOutpoint),
    temporaryChannelId: ch.temporaryChannelId,
    counterpartyNodeId: ch.counterpartyNodeId,
    userChannelId: ch.userChannelId,
    channelKeysId: ch.channelKeysId,
    isOutbound: ch.isOutbound,
    channelValueSat: ch.channelValueSat,
    fundingOutpoint,
    channelType: encodeChannelType(ch.channelType),
    format: ch.channelType.format,
    announced: ch.announced,
    holder: ch.holder,
    counterparty,
    minimumDepth: ch.minimumDepth,
    destinationScript: ch.destinationScript,
    outboundScidAlias: randomScidAlias(core),
  };
}

async function sendFundingCreated(core: ManagerCore, ch: UnfundedChannel, fundingOutpoint: OutPoint): Promise<void> {
  const params = channelParamsOf(core, ch, fundingOutpoint);
  if (core.channels.has(hex(params.channelId))) {
    core.closeUnfunded(ch, { kind: 'processing_error', error: 'duplicate channel id' }, 'duplicate channel id');
    return;
  }
  const signerParams = channelParameters(params);
  ch.signer.provideChannelParameters(signerParams);
  const spec = initialSpec(params, ch.pushMsat, ch.feeratePerKw);
  const remoteData = commitmentData(spec, false, 0n, ch.counterpartyFirstPoint!);
  const sigs = await ch.signer.signCounterpartyCommitment(remoteData);
  pendingFunding.set(ch, { params, spec, remoteTxid: counterpartyCommitmentTxid(signerParams, remoteData, core.backend) });
  // funding_signed will come with the real channel id.
  core.register(params.channelId, ch);
  core.sendDirect(ch.counterpartyNodeId, {
    type: 'funding_created',
    temporaryChannelId: ch.temporaryChannelId,
    fundingTxid: fundingOutpoint.txid,
    fundingOutputIndex: fundingOutpoint.index,
    signature: sigs.commitmentSignature,
  });
}

/** What the opener keeps between funding_created and funding_signed. */
const pendingFunding = new WeakMap<UnfundedChannel, { params: ChannelParams; spec: ReturnType<typeof initialSpec>; remoteTxid: Txid }>();

/** funding_signed (we opened): check the signature of our commitment 0, create the monitor. */
export async function handleFundingSigned(core: ManagerCore, ch: UnfundedChannel, msg: FundingSignedMessage): Promise<void> {
  const pending = pendingFunding.get(ch);
  if (!ch.isOutbound || ch.stage !== 'funding_created_sent' || pending === undefined) failChannel('funding_signed at a strange time');
  const { params, spec, remoteTxid } = pending;
  const signerParams = channelParameters(params);
  const ourPoint = await ch.signer.getPerCommitmentPoint(0n);
  const localData = commitmentData(spec, true, 0n, ourPoint);
  const check = checkHolderCommitmentSignatures(signerParams, localData, msg.signature, [], core.backend);
  if (!check.ok) failChannel(`funding_signed: ${check.reason}`);
  await ch.signer.validateHolderCommitment(localData, msg.signature, []);
  const state = newChannelState({
    params,
    spec,
    counterpartySignature: msg.signature,
    remoteTxid,
    remoteFirstPoint: ch.counterpartyFirstPoint!,
    fundingTx: ch.fundingTx,
    bestHeight: core.bestBlock.height,
    config: core.config.channelConfig,
  });
  if (ch.batchId !== undefined) state.fundingBatchId = ch.batchId;
  const funded = becomeFunded(core, ch, state);
  if (funded === undefined) return;
  startMonitor(core, funded, localData, msg.signature, remoteData(spec, ch), remoteTxid);
}

function remoteData(spec: ReturnType<typeof initialSpec>, ch: UnfundedChannel) {
  return commitmentData(spec, false, 0n, ch.counterpartyFirstPoint!);
}

/** funding_created (we accept): check it, sign theirs, create the monitor, answer funding_signed once it is persisted. */
export async function handleFundingCreated(core: ManagerCore, ch: UnfundedChannel, msg: FundingCreatedMessage): Promise<void> {
  if (ch.isOutbound || ch.stage !== 'accept_sent') failChannel('funding_created at a strange time');
  const fundingOutpoint = outPoint(msg.fundingTxid, msg.fundingOutputIndex);
  const params = channelParamsOf(core, ch, fundingOutpoint);
  if (core.channels.has(hex(params.channelId)) || core.closed.has(hex(params.channelId))) failChannel('funding_created for a funding outpoint already in use');
  const signerParams = channelParameters(params);
  const spec = initialSpec(params, ch.pushMsat, ch.feeratePerKw);
  const ourPoint = await ch.signer.getPerCommitmentPoint(0n);
  const localData = commitmentData(spec, true, 0n, ourPoint);
  const check = checkHolderCommitmentSignatures(signerParams, localData, msg.signature, [], core.backend);
  if (!check.ok) failChannel(`funding_created: ${check.reason}`);
  ch.signer.provideChannelParameters(signerParams);
  await ch.signer.validateHolderCommitment(localData, msg.signature, []);
  const remote = commitmentData(spec, false, 0n, ch.counterpartyFirstPoint!);
  const sigs = await ch.signer.signCounterpartyCommitment(remote);
  const remoteTxid = counterpartyCommitmentTxid(signerParams, remote, core.backend);
  const state = newChannelState({
    params,
    spec,
    counterpartySignature: msg.signature,
    remoteTxid,
    remoteFirstPoint: ch.counterpartyFirstPoint!,
    fundingTx: undefined,
    bestHeight: core.bestBlock.height,
    config: core.config.channelConfig,
  });
  const funded = becomeFunded(core, ch, state);
  if (funded === undefined) return;
  // funding_signed depends on the monitor (update 0): the opener may broadcast once it has it.
  core.send(funded, { type: 'funding_signed', channelId: params.channelId, signature: sigs.commitmentSignature }, funded.epoch, 0n);
  startMonitor(core, funded, localData, msg.signature, remote, remoteTxid);
}

/** Replaces the unfunded channel by a funded one under its real id. */
function becomeFunded(core: ManagerCore, ch: UnfundedChannel, state: ChannelState): FundedChannel | undefined {
  // The funded channel takes over the unfunded one's queue: messages queued meanwhile keep their order.
  const funded = core.makeFunded(state, ch.signer, -1n, ch.queue);
  ch.successor = funded;
  for (const [k, v] of core.channels) if (v === ch) core.channels.delete(k);
  funded.connected = core.isConnected(ch.counterpartyNodeId);
  // The funding exchange happened on this connection: updates may flow once ready.
  funded.reestablished = funded.connected;
  core.adopt(funded);
  return funded;
}

/** watchChannel with commitment 0 of both sides (before anything can be broadcast). */
function startMonitor(
  core: ManagerCore,
  ch: FundedChannel,
  localData: ReturnType<typeof commitmentData>,
  counterpartySignature: Uint8Array,
  remote: ReturnType<typeof commitmentData>,
  remoteTxid: Txid,
): void {
  const s = ch.state;
  const monitor: NewChannelMonitor = {
    channelId: ch.channelId,
    counterpartyNodeId: ch.counterpartyNodeId,
    channelKeysId: s.params.channelKeysId,
    parameters: ch.signerParams,
    destinationScript: s.params.destinationScript,
    ...(s.localShutdownScript !== undefined && { shutdownScript: s.localShutdownScript }),
    holderCommitment: { data: localData, counterpartySignature, htlcSignatures: [] },
    counterpartyCommitment: { data: remote, txid: remoteTxid },
    bestBlock: core.bestBlock,
  };
  let status: string;
  try {
    status = core.watch.watchChannel(monitor);
  } catch (e) {
    core.log('error', `Watch.watchChannel threw: ${String(e)}`, ch.channelId);
    status = 'unrecoverable_error';
  }
  if (status === 'duplicate' || status === 'unrecoverable_error') {
    // LDK: a monitor for this funding outpoint exists already (or cannot be stored):
    // close without broadcasting anything and without touching that monitor.
    core.closeFunded(ch, { kind: 'processing_error', error: `watchChannel: ${status}` }, { broadcast: false, errorMessage: 'cannot watch this channel', skipMonitorUpdate: true });
    return;
  }
  if (status === 'completed') ch.gate.completedThrough(0n);
  else ch.gate.recordUpdate({ channelId: ch.channelId, updateId: 0n, steps: [] }, false);
  core.markDirty();
  onMonitorProgress(core, ch);
  // The task ran on the unfunded handle's queue: release the funded channel's messages here.
  core.flush(ch);
}

/**
 * Runs what waits on the monitor's first persistence: the funding broadcast
 * (all channels of a batch together), ChannelPending, a zero-conf channel_ready.
 */
export function onMonitorProgress(core: ManagerCore, ch: FundedChannel): void {
  const s = ch.state;
  if (ch.gate.completedUpdateId < 0n || ch.closed) return;
  if (s.params.isOutbound && !s.fundingBroadcast && s.fundingTx !== undefined) {
    const batch = s.fundingBatchId;
    const members = batch === undefined ? [ch] : batchMembers(core, batch);
    const allReady = members !== undefined && members.every((m) => m.gate.completedUpdateId >= 0n && !m.closed);
    if (allReady) {
      core.broadcaster.broadcastTransactions([decodeFundingTx(s.fundingTx)]);
      for (const m of members) {
        m.state.fundingBroadcast = true;
        m.state.fundingTx = undefined;
        emitPending(core, m);
      }
    }
  }
  if (!s.params.isOutbound) emitPending(core, ch);
  if (s.params.isOutbound && s.fundingBroadcast) emitPending(core, ch);
  if (s.params.minimumDepth === 0) maybeSendChannelReady(core, ch);
}

import { decodeTx } from 'ln-tx';
import type { Txid } from 'ln-types';
import type { ChannelState } from '../channel/types.js';
function decodeFundingTx(raw: Uint8Array): Tx {
  return decodeTx(raw);
}

/** The funded channels of a batch, or undefined while one of it is still unfunded. */
function batchMembers(core: ManagerCore, batchId: string): FundedChannel[] | undefined {
  const out: FundedChannel[] = [];
  for (const c of new Set(core.channels.values())) {
    if (c.kind === 'unfunded' && c.batchId === batchId) return undefined;
    if (c.kind === 'funded' && c.state.fundingBatchId === batchId && !c.state.fundingBroadcast) out.push(c);
  }
  return out;
}

/** A batch member failed before broadcast: the whole batch is abandoned (LDK's funding_batch_closure). */
export function abandonBatch(core: ManagerCore, batchId: string): void {
  for (const c of new Set(core.channels.values())) {
    if (c.kind === 'unfunded' && c.batchId === batchId) core.closeUnfunded(c, { kind: 'funding_batch_closure' }, 'funding batch abandoned');
    if (c.kind === 'funded' && c.state.fundingBatchId === batchId && !c.state.fundingBroadcast) {
      core.closeFunded(c, { kind: 'funding_batch_closure' }, { broadcast: false, errorMessage: 'funding batch abandoned' });
    }
  }
}

function emitPending(core: ManagerCore, ch: FundedChannel): void {
  const s = ch.state;
  if (s.pendingEventEmitted) return;
  s.pendingEventEmitted = true;
  core.emit({
    kind: 'channel_pending',
    channelId: ch.channelId,
    userChannelId: s.params.userChannelId,
    formerTemporaryChannelId: s.params.temporaryChannelId,
    counterpartyNodeId: ch.counterpartyNodeId,
    fundingTxo: s.params.fundingOutpoint,
    channelType: s.params.channelType,
  });
}

// ---- channel_ready -------------------------------------------------------

/** Sends channel_ready once the funding is deep enough (or at once for zero-conf). */
export function maybeSendChannelReady(core: ManagerCore, ch: FundedChannel): void {
  const s = ch.state;
  if (s.channelReadySent || ch.closed || s.status !== 'awaiting_channel_ready') return;
  if (ch.gate.completedUpdateId < 0n) return;
  const depth = s.fundingConfirmedHeight === undefined ? 0 : core.bestBlock.height - s.fundingConfirmedHeight + 1;
  if (s.params.minimumDepth > 0 && depth < s.params.minimumDepth) return;
  s.channelReadySent = true;
  core.enqueue(ch, async (epoch) => {
    const point = await ourPoint(ch, 1n);
    if (ch.connected && ch.reestablished) sendChannelReady(core, ch, point, epoch);
    checkReady(core, ch);
  });
}

/** Our channel_ready (with our alias, as LDK always sends it). */
export function sendChannelReady(core: ManagerCore, ch: FundedChannel, point: Uint8Array, epoch: number): void {
  core.send(ch, { type: 'channel_ready', channelId: ch.channelId, secondPerCommitmentPoint: point as PublicKey, tlvs: { shortChannelId: shortChannelId(ch.state.params.outboundScidAlias) } }, epoch);
}

/** The counterparty's channel_ready. */
export function handleChannelReady(core: ManagerCore, ch: FundedChannel, msg: ChannelReadyMessage): void {
  const s = ch.state;
  if (!core.backend.isValidPublicKey(msg.secondPerCommitmentPoint)) failChannel('channel_ready with an invalid per-commitment point');
  if (s.channelReadyReceived) {
    // A retransmission (after reconnection) is fine; a different point is not.
    const expected = s.remoteCommit.number === 0n && s.nextRemoteCommit === undefined ? s.remoteNextPoint : undefined;
    if (expected !== undefined && !equalBytes(expected, msg.secondPerCommitmentPoint)) failChannel('channel_ready repeated with a different point');
    return;
  }
  if (s.status !== 'awaiting_channel_ready') return;
  s.channelReadyReceived = true;
  s.remoteNextPoint = msg.secondPerCommitmentPoint;
  const alias = msg.tlvs?.shortChannelId;
  if (alias !== undefined) s.counterpartyScidAlias = alias;
  checkReady(core, ch);
}

function checkReady(core: ManagerCore, ch: FundedChannel): void {
  const s = ch.state;
  if (s.status === 'awaiting_channel_ready' && s.channelReadySent && s.channelReadyReceived) {
    s.status = s.shutdownSent || s.remoteShutdownScript !== undefined ? 'shutting_down' : 'ready';
    if (!s.readyEventEmitted) {
      s.readyEventEmitted = true;
      core.emit({ kind: 'channel_ready', channelId: ch.channelId, userChannelId: s.params.userChannelId, counterpartyNodeId: ch.counterpartyNodeId, channelType: s.params.channelType });
    }
  }
}

/** Our per-commitment point n (cached). */
export async function ourPoint(ch: FundedChannel, n: bigint): Promise<Uint8Array> {
  const cached = ch.ourPoints.get(n);
  if (cached !== undefined) return cached;
  const p = await ch.signer.getPerCommitmentPoint(n);
  if (ch.ourPoints.size > 8) for (const k of ch.ourPoints.keys()) if (k < n - 2n) ch.ourPoints.delete(k);
  ch.ourPoints.set(n, p);
  return p;
}

function errorFor(channelId: Uint8Array, text: string) {
  return { type: 'error' as const, channelId: channelId as ChannelId, data: new TextEncoder().encode(text) };
}

export { ALL_CHANNELS };
