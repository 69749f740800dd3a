// The BOLT 3 commitment vectors (Appendix C, static_remotekey; Appendix F,
// anchors) reproduced through real channel state: two ChannelManagers are
// read back at the point where the local side (the opener) has had its fee
// update acked and the remote side must sign local's commitment 42 with it.
// The remote manager's commitment_signed must carry the spec's remote
// signature and HTLC signatures; the local manager checks them, hands the
// commitment to its monitor, which signs and produces the spec's transaction.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { BroadcasterInterface, NewChannelMonitor } from 'ln-chain-api';
import native from 'secp256k1';
import { createNativeSecp256k1Backend, sha256, signatureToDer } from 'ln-crypto';
import { KeysManager } from 'ln-signer';
import type { SignerProvider } from 'ln-signer-api';
import { CounterpartySecrets, buildCommitment, buildHtlcTransactions, commitmentNumberToIndex, encodeTx, finalizeHtlcTx, p2wpkh, perCommitmentSecret, signHtlcAsBroadcaster, derivePrivateKey } from 'ln-tx';
import { describeCommitment } from 'ln-signer-api';
import { CHAIN_HASHES, type ChannelId, type NodeId, channelIdFromFunding, fromHex, outPoint, toHex, txidFromHex } from 'ln-types';
import { ChannelManager, userConfig } from '../src/index.js';
import { channelParameters, commitmentData, counterpartyCommitmentTxid } from '../src/channel/commitment.js';
import { flipSpec } from '../src/channel/spec.js';
import type { ChannelParams, ChannelState, CommitmentSpec, DirectedHtlc, SideParams } from '../src/channel/types.js';
import { encodeStoredManager } from '../src/serialization/manager-codec.js';
import { TestWatch } from './helpers/test-watch.js';
import { SettableFees } from './helpers/node.js';
import { Pipe } from './helpers/pipe.js';
import { VectorSigner } from './helpers/vector-signer.js';
import type { Tx } from 'ln-tx';
import type { Message } from 'ln-wire';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const C = fixture('bolt03-commitment-txs.json');
const F = fixture('bolt03-commitment-txs-anchors.json');
const p = C.common.parameters;
const iv = C.common.internal_values;
const priv = (hex: string) => fromHex(hex.slice(0, 64));

const backend = createNativeSecp256k1Backend(native);
const FUNDING = outPoint(txidFromHex(p.funding_tx_id), p.funding_output_index);
const CHANNEL_ID = channelIdFromFunding(FUNDING);
const VALUE_SAT = BigInt(p.funding_amount_satoshi);
const N = BigInt(p.commitment_number); // 42

const localSigner = () =>
  new VectorSigner(new Uint8Array(32).fill(1), {
    fundingKey: priv(p.local_funding_privkey),
    revocationBaseKey: priv(iv.local_payment_basepoint_secret),
    paymentKey: priv(iv.local_payment_basepoint_secret),
    delayedPaymentBaseKey: priv(iv.local_delayed_payment_basepoint_secret),
    htlcBaseKey: priv(iv.local_payment_basepoint_secret),
    commitmentSeed: new Uint8Array(32).fill(0x51),
    pinned: new Map([[N, priv(iv.x_local_per_commitment_secret)]]),
  }, backend);
const remoteSigner = () =>
  new VectorSigner(new Uint8Array(32).fill(2), {
    fundingKey: priv(iv.remote_funding_privkey),
    revocationBaseKey: priv(iv.remote_revocation_basepoint_secret),
    paymentKey: priv(iv.remote_payment_basepoint_secret),
    delayedPaymentBaseKey: priv(iv.remote_payment_basepoint_secret),
    htlcBaseKey: priv(iv.remote_payment_basepoint_secret),
    commitmentSeed: new Uint8Array(32).fill(0x52),
  }, backend);

interface Vector {
  readonly name: string;
  readonly format: 'static_remotekey' | 'anchors';
  readonly toLocalMsat: bigint;
  readonly toRemoteMsat: bigint;
  readonly feerate: number;
  readonly dustLimitSat: bigint;
  readonly remoteSignature: string;
  readonly commitTx: string;
  readonly htlcs: readonly { remoteSig: string; tx: string }[];
}

const HTLCS = (C.common.htlcs as { id: number; direction: string; amount_msat: number; expiry: number; payment_preimage: string }[]).map((h) => ({
  id: BigInt(h.id),
  out: h.direction === 'local->remote',
  amountMsat: BigInt(h.amount_msat),
  cltvExpiry: h.expiry,
  preimage: fromHex(h.payment_preimage),
}));

/** Which of the test HTLCs are in flight: the set whose amounts complete the balances (as ln-tx's helper). */
function htlcIdsFor(toLocal: bigint, toRemote: bigint): number[] {
  const missing = VALUE_SAT * 1000n - toLocal - toRemote;
  for (const ids of [[], [0, 1, 2, 3, 4], [1, 5, 6]]) if (ids.reduce((s, i) => s + HTLCS[i]!.amountMsat, 0n) === missing) return ids;
  throw new Error('no HTLC set');
}

const vectors: Vector[] = [
  ...(C.vectors as { name: string; to_local_msat: number; to_remote_msat: number; local_feerate_per_kw: number; remote_signature: string; commit_tx: string; htlc_txs: { remote_htlc_signature: string; tx: string }[] }[]).map((v) => ({
    name: `C: ${v.name}`,
    format: 'static_remotekey' as const,
    toLocalMsat: BigInt(v.to_local_msat),
    toRemoteMsat: BigInt(v.to_remote_msat),
    feerate: v.local_feerate_per_kw,
    dustLimitSat: 546n,
    remoteSignature: v.remote_signature,
    commitTx: v.commit_tx,
    htlcs: v.htlc_txs.map((h) => ({ remoteSig: h.remote_htlc_signature, tx: h.tx })),
  })),
  ...(F.vectors as { Name: string; LocalBalance: number; RemoteBalance: number; FeePerKw: number; DustLimitSatoshis: number; RemoteSigHex: string; ExpectedCommitmentTxHex: string; HtlcDescs: { RemoteSigHex: string; ResolutionTxHex: string }[] }[]).map((v) => ({
    name: `F: ${v.Name}`,
    format: 'anchors' as const,
    toLocalMsat: BigInt(v.LocalBalance),
    toRemoteMsat: BigInt(v.RemoteBalance),
    feerate: v.FeePerKw,
    dustLimitSat: BigInt(v.DustLimitSatoshis),
    remoteSignature: v.RemoteSigHex,
    commitTx: v.ExpectedCommitmentTxHex,
    htlcs: v.HtlcDescs.map((h) => ({ remoteSig: h.RemoteSigHex, tx: h.ResolutionTxHex })),
  })),
];

/** A SignerProvider giving the vector signers (keys id 1: local, 2: remote); everything else from a KeysManager. */
function provider(keys: KeysManager, signer: () => VectorSigner): SignerProvider {
  return {
    generateChannelKeysId: () => new Uint8Array(32),
    deriveChannelSigner: () => signer(),
    getDestinationScript: () => keys.getDestinationScript(new Uint8Array(32)),
    getShutdownScript: () => keys.getShutdownScript(),
  };
}

function side(signer: VectorSigner, dustLimitSat: bigint): SideParams {
  return { basepoints: signer.pubkeys, dustLimitSat, maxHtlcValueInFlightMsat: VALUE_SAT * 1000n, channelReserveSat: 0n, htlcMinimumMsat: 1n, toSelfDelay: p.local_delay, maxAcceptedHtlcs: 483 };
}

function params(v: Vector, local: boolean, counterparty: NodeId): ChannelParams {
  const l = side(localSigner(), v.dustLimitSat);
  const r = side(remoteSigner(), 546n);
  return {
    channelId: CHANNEL_ID,
    temporaryChannelId: new Uint8Array(32).fill(9) as ChannelId,
    counterpartyNodeId: counterparty,
    userChannelId: 0n,
    channelKeysId: new Uint8Array(32).fill(local ? 1 : 2),
    isOutbound: local,
    channelValueSat: VALUE_SAT,
    fundingOutpoint: FUNDING,
    channelType: v.format === 'anchors' ? Uint8Array.of(0x40, 0x10, 0x00) : Uint8Array.of(0x10, 0x00),
    format: v.format,
    announced: false,
    holder: local ? l : r,
    counterparty: local ? r : l,
    minimumDepth: 1,
    destinationScript: p2wpkh(new Uint8Array(33).fill(2)),
    outboundScidAlias: local ? 1n : 2n,
  };
}

function secretsStore(signer: VectorSigner, upTo: bigint): Uint8Array {
  const store = new CounterpartySecrets();
  for (let n = 0n; n <= upTo; n++) store.insert(signer.secret(n), commitmentNumberToIndex(n));
  return store.serialize();
}

function baseState(prm: ChannelParams, cfg: ReturnType<typeof userConfig>): Omit<ChannelState, 'localCommit' | 'remoteCommit' | 'remoteNextPoint' | 'remoteSecrets' | 'localChanges' | 'remoteChanges' | 'localNextHtlcId' | 'remoteNextHtlcId'> {
  return {
    params: prm,
    status: 'ready',
    nextRemoteCommit: undefined,
    holdingCell: [],
    holdingCellFee: undefined,
    resendOrder: 'commitment_first',
    latestMonitorUpdateId: 100n,
    fundingConfirmedHeight: 1,
    fundingTxIndex: 1,
    fundingWaitStartHeight: 0,
    shortChannelId: (1n << 40n) | (1n << 16n),
    channelReadySent: true,
    channelReadyReceived: true,
    counterpartyScidAlias: undefined,
    pendingEventEmitted: true,
    readyEventEmitted: true,
    fundingTx: undefined,
    fundingBroadcast: true,
    fundingBatchId: undefined,
    localShutdownScript: undefined,
    shutdownSent: false,
    remoteShutdownScript: undefined,
    shutdownInitiator: undefined,
    targetClosingFeerate: undefined,
    closing: undefined,
    closingTx: undefined,
    inboundFailures: [],
    config: cfg.channelConfig,
  };
}

async function managerAt(seed: number, counterparty: NodeId, state: ChannelState, signer: () => VectorSigner, holderSig: { sig: Uint8Array; htlcSigs: readonly Uint8Array[] }, broadcaster: BroadcasterInterface) {
  const keys = new KeysManager(new Uint8Array(32).fill(seed), { backend });
  const fees = new SettableFees();
  // The vectors' fee rates go far above any estimate: a peer's update_fee up to 10^8 sat/kw is fine here.
  fees.rates.set('maximum_fee_estimate', 10_000_000);
  const sp = provider(keys, signer);
  const watch = new TestWatch(sp, broadcaster);
  const s = state;
  const holderData = commitmentData(s.localCommit.spec, true, s.localCommit.number, await signer().getPerCommitmentPoint(s.localCommit.number));
  const remoteData = commitmentData(s.remoteCommit.spec, false, s.remoteCommit.number, s.remoteCommit.point);
  const monitor: NewChannelMonitor = {
    channelId: CHANNEL_ID,
    counterpartyNodeId: counterparty,
    channelKeysId: s.params.channelKeysId,
    parameters: channelParameters(s.params),
    destinationScript: s.params.destinationScript,
    holderCommitment: { data: holderData, counterpartySignature: holderSig.sig, htlcSignatures: holderSig.htlcSigs },
    counterpartyCommitment: { data: remoteData, txid: s.remoteCommit.txid },
    bestBlock: { blockHash: new Uint8Array(32) as never, height: 100 },
  };
  watch.adopt(monitor, { latestUpdateId: s.latestMonitorUpdateId, holder: monitor.holderCommitment, counterpartyNumber: s.remoteCommit.number });
  const bytes = encodeStoredManager({
    chainHash: CHAIN_HASHES.regtest,
    bestBlock: { blockHash: new Uint8Array(32) as never, height: 100 },
    highestSeenTimestamp: 1_700_000_000,
    peers: [],
    channels: [{ state: s, inFlight: [] }],
    closed: [],
    events: [],
    handlerState: new Uint8Array(0),
  });
  const manager = await ChannelManager.read(bytes, {
    chainHash: CHAIN_HASHES.regtest,
    feeEstimator: fees,
    watch,
    broadcaster,
    signerProvider: sp,
    nodeSigner: keys,
    entropySource: keys,
    config: userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: true } }),
    channelMonitors: [watch.view(CHANNEL_ID)],
    backend,
  });
  return { keys, watch, manager };
}

describe('BOLT 3 vectors through real channel state', () => {
  expect(vectors.length).toBe(25);
  for (const v of vectors) {
    test(v.name, async () => {
      const cfg = userConfig();
      const ids = htlcIdsFor(v.toLocalMsat, v.toRemoteMsat);
      const htlcs: DirectedHtlc[] = ids.map((i) => {
        const h = HTLCS[i]!;
        return { direction: h.out ? 'out' : 'in', htlc: { id: h.id, amountMsat: h.amountMsat, paymentHash: sha256(h.preimage), cltvExpiry: h.cltvExpiry, onion: new Uint8Array(1366) } };
      });
      // Commitment 41 ran at another fee rate; the opener's update_fee to the vector's rate is signed into the remote's 42 and acked.
      const oldFeerate = v.feerate === 253 ? 300 : 253;
      const s42: CommitmentSpec = { htlcs, toLocalMsat: v.toLocalMsat, toRemoteMsat: v.toRemoteMsat, feeratePerKw: v.feerate };
      const s41: CommitmentSpec = { ...s42, feeratePerKw: oldFeerate };
      const L = localSigner();
      const R = remoteSigner();
      const lKeys = new KeysManager(new Uint8Array(32).fill(0x61));
      const rKeys = new KeysManager(new Uint8Array(32).fill(0x62));
      const localParams = params(v, true, rKeys.getNodeId());
      const remoteParams = params(v, false, lKeys.getNodeId());
      L.provideChannelParameters(channelParameters(localParams));
      R.provideChannelParameters(channelParameters(remoteParams));
      // Local's 41 signed by remote; remote's 42 signed by local.
      const lp41 = await L.getPerCommitmentPoint(N - 1n);
      const rp42 = await R.getPerCommitmentPoint(N);
      const local41 = await R.signCounterpartyCommitment(commitmentData(flipSpec(s41), false, N - 1n, lp41));
      const remote42 = await L.signCounterpartyCommitment(commitmentData(s42, false, N, rp42));
      const maxOut = ids.filter((i) => HTLCS[i]!.out).reduce((m, i) => (HTLCS[i]!.id >= m ? HTLCS[i]!.id + 1n : m), 0n);
      const maxIn = ids.filter((i) => !HTLCS[i]!.out).reduce((m, i) => (HTLCS[i]!.id >= m ? HTLCS[i]!.id + 1n : m), 0n);
      const fee = { kind: 'fee' as const, feeratePerKw: v.feerate };
      const localState: ChannelState = {
        ...baseState(localParams, cfg),
        localCommit: { number: N - 1n, spec: s41, signature: local41.commitmentSignature, htlcSignatures: local41.htlcSignatures },
        remoteCommit: { number: N, spec: s42, txid: counterpartyCommitmentTxid(channelParameters(localParams), commitmentData(s42, false, N, rp42)), point: rp42 },
        remoteNextPoint: await R.getPerCommitmentPoint(N + 1n),
        remoteSecrets: secretsStore(R, N - 1n),
        localChanges: { proposed: [], signed: [], acked: [fee] },
        remoteChanges: { proposed: [], acked: [], signed: [] },
        localNextHtlcId: maxOut,
        remoteNextHtlcId: maxIn,
      };
      const remoteState: ChannelState = {
        ...baseState(remoteParams, cfg),
        localCommit: { number: N, spec: flipSpec(s42), signature: remote42.commitmentSignature, htlcSignatures: remote42.htlcSignatures },
        remoteCommit: { number: N - 1n, spec: flipSpec(s41), txid: counterpartyCommitmentTxid(channelParameters(remoteParams), commitmentData(flipSpec(s41), false, N - 1n, lp41)), point: lp41 },
        remoteNextPoint: await L.getPerCommitmentPoint(N),
        remoteSecrets: secretsStore(L, N - 2n),
        localChanges: { proposed: [], signed: [], acked: [] },
        remoteChanges: { proposed: [], acked: [fee], signed: [] },
        localNextHtlcId: maxIn,
        remoteNextHtlcId: maxOut,
      };
      const broadcasts: Uint8Array[] = [];
      const broadcaster = { broadcastTransactions: (txs: readonly Tx[]) => txs.forEach((t) => broadcasts.push(encodeTx(t))) };
      const local = await managerAt(0x61, rKeys.getNodeId(), localState, localSigner, { sig: local41.commitmentSignature, htlcSigs: local41.htlcSignatures }, broadcaster);
      const remote = await managerAt(0x62, lKeys.getNodeId(), remoteState, remoteSigner, { sig: remote42.commitmentSignature, htlcSigs: remote42.htlcSignatures }, broadcaster);
      const pipe = new Pipe({ nodeId: lKeys.getNodeId(), manager: local.manager } as never, { nodeId: rKeys.getNodeId(), manager: remote.manager } as never);
      pipe.connect();
      await pipe.settle();
      // The remote signed local's commitment 42: the spec's remote signature and HTLC signatures.
      const cs = pipe.sent('commitment_signed', 'b');
      expect(cs).toHaveLength(1);
      const m = cs[0]! as Extract<Message, { type: 'commitment_signed' }>;
      expect(toHex(signatureToDer(m.signature))).toBe(v.remoteSignature);
      expect(m.htlcSignatures.map((sg) => toHex(signatureToDer(sg)))).toEqual(v.htlcs.map((h) => h.remoteSig));
      // The local side accepted it and revoked 41; its monitor holds commitment 42, which is the spec's transaction.
      expect(pipe.sent('revoke_and_ack', 'a')).toHaveLength(1);
      expect(local.manager.internalErrors).toEqual([]);
      expect(local.watch.violations).toEqual([]);
      const tx = await local.watch.holderCommitmentTx(CHANNEL_ID);
      expect(toHex(encodeTx(tx))).toBe(v.commitTx);
      // Its HTLC transactions, completed with local's HTLC signatures, are the spec's too.
      const mon = local.watch.monitors.get(toHex(CHANNEL_ID))!;
      const built = buildCommitment(describeCommitment(mon.monitor.parameters, mon.holder.data, true));
      const localHtlcKey = derivePrivateKey(priv(iv.local_payment_basepoint_secret), mon.holder.data.perCommitmentPoint);
      buildHtlcTransactions(built).forEach((h, i) => {
        const preimage = h.kind === 'success' ? HTLCS.find((x) => toHex(sha256(x.preimage)) === toHex(mon.holder.data.htlcs[h.htlcIndex]!.paymentHash))!.preimage : undefined;
        const signed = finalizeHtlcTx(h, signHtlcAsBroadcaster(h, localHtlcKey), mon.holder.htlcSignatures[i]!, preimage);
        expect(toHex(encodeTx(signed))).toBe(v.htlcs[i]!.tx);
      });
      void perCommitmentSecret;
    });
  }
});
