// A channel between A (the node whose monitor is under test) and B, driven by
// the tests instead of two ChannelManagers: both sides' signers (KeysManager /
// InMemorySigner) sign and check each other's commitments in BOLT 2 order, and
// every step yields the ChannelMonitorUpdates each side's ChannelManager would
// hand its Watch. It can also make either side cheat: a fresh signer instance
// (test only: outside the policy of the side's own signer) signs an old, revoked
// commitment of that side.
import type { BestBlock, ChannelMonitorUpdate, CounterpartyCommitment, MonitorCommitmentData, MonitorHtlc, NewChannelMonitor } from 'ln-chain-api';
import { sha256 } from 'ln-crypto';
import { type ChannelParameters, type CounterpartyCommitmentSignatures, describeCommitment } from 'ln-signer-api';
import { KeysManager, type InMemorySigner } from 'ln-signer';
import { type ChannelId, type OutPoint, type Txid, channelIdFromFunding, outPoint, toHex } from 'ln-types';
import {
  type BuiltCommitment,
  type CommitmentFormat,
  type HtlcTransaction,
  type Tx,
  buildCommitment,
  buildHtlcTransactions,
  finalizeCommitment,
  finalizeHtlcTx,
  fundingScript,
  p2wsh,
  txidOf,
} from 'ln-tx';
import { backend, signP2wpkh, testKey } from './keys.js';
import type { RegtestChain } from './regtest-chain.js';

export type Side = 'A' | 'B';

/** A wallet coin that pays for a zero-fee HTLC transaction (anchors). */
export interface FeeCoin {
  readonly outpoint: OutPoint;
  readonly amount: bigint;
  readonly key: { secret: Uint8Array; pubkey: Uint8Array; script: Uint8Array };
}

/** An HTLC in the channel. */
export interface SimHtlc {
  readonly id: bigint;
  readonly offerer: Side;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
  readonly preimage: Uint8Array;
}

/** What both commitments of one number hold. */
export interface SimState {
  readonly aMsat: bigint;
  readonly bMsat: bigint;
  readonly htlcs: readonly SimHtlc[];
  readonly feeratePerKw: number;
}

export interface SimOptions {
  readonly format: CommitmentFormat;
  readonly fundingSat?: bigint;
  /** Initial balance of B (A opened the channel). */
  readonly pushMsat?: bigint;
  readonly feeratePerKw?: number;
  readonly seed?: number;
  /** A's and B's to_self_delay asked of the other. */
  readonly delays?: { readonly aSelected: number; readonly bSelected: number };
}

/** The source ChannelManager would record for an HTLC `offerer` offered. */
export function sourceOf(h: SimHtlc): Uint8Array {
  return new TextEncoder().encode(`${h.offerer}:${h.id}`);
}

interface Signed {
  readonly data: MonitorCommitmentData;
  readonly sigs: CounterpartyCommitmentSignatures;
}

export class ChannelSim {
  readonly a: KeysManager;
  readonly b: KeysManager;
  readonly keysIdA: Uint8Array;
  readonly keysIdB: Uint8Array;
  readonly signerA: InMemorySigner;
  readonly signerB: InMemorySigner;
  paramsA!: ChannelParameters;
  paramsB!: ChannelParameters;
  readonly fundingSat: bigint;
  readonly format: CommitmentFormat;
  fundingOutpoint!: OutPoint;
  fundingTx!: Tx;
  channelId!: ChannelId;
  /** Current commitment number (both sides move together). */
  n = 0n;
  state: SimState;
  /** A's commitments with B's signatures, by number. */
  readonly aSigned = new Map<bigint, Signed>();
  /** B's commitments with A's signatures, by number. */
  readonly bSigned = new Map<bigint, Signed>();
  private updateIdA = 0n;
  private updateIdB = 0n;
  private nextHtlcId = 0n;

  private constructor(options: SimOptions) {
    const seed = options.seed ?? 1;
    this.a = new KeysManager(sha256(Uint8Array.of(seed, 0xaa)), { backend });
    this.b = new KeysManager(sha256(Uint8Array.of(seed, 0xbb)), { backend });
    this.format = options.format;
    this.fundingSat = options.fundingSat ?? 1_000_000n;
    this.keysIdA = this.a.generateChannelKeysId(false, 1n);
    this.keysIdB = this.b.generateChannelKeysId(true, 1n);
    this.signerA = this.a.deriveChannelSigner(this.fundingSat, this.keysIdA);
    this.signerB = this.b.deriveChannelSigner(this.fundingSat, this.keysIdB);
    const push = options.pushMsat ?? 400_000_000n;
    this.state = { aMsat: this.fundingSat * 1000n - push, bMsat: push, htlcs: [], feeratePerKw: options.feeratePerKw ?? 1000 };
  }

  /** Funds a channel on `chain` (funding transaction confirmed) and signs both commitment 0. */
  static async open(chain: RegtestChain, options: SimOptions): Promise<ChannelSim> {
    const sim = new ChannelSim(options);
    const funder = testKey(`funder ${options.seed ?? 1}`);
    const coin = await chain.fund(funder.script, sim.fundingSat + 5_000n);
    const script = p2wsh(fundingScript(sim.signerA.pubkeys.fundingPubkey, sim.signerB.pubkeys.fundingPubkey));
    const unsigned: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: coin, sequence: 0xffffffff }], outputs: [{ script, amount: sim.fundingSat }] };
    sim.fundingTx = signP2wpkh(unsigned, 0, funder, sim.fundingSat + 5_000n);
    sim.fundingOutpoint = outPoint(txidOf(sim.fundingTx), 0);
    sim.channelId = channelIdFromFunding(sim.fundingOutpoint);
    const delays = options.delays ?? { aSelected: 144, bSelected: 120 };
    const common = { fundingOutpoint: sim.fundingOutpoint, fundingAmountSat: sim.fundingSat, format: sim.format } as const;
    sim.paramsA = {
      ...common,
      holderPubkeys: sim.signerA.pubkeys,
      counterpartyPubkeys: sim.signerB.pubkeys,
      holderIsOpener: true,
      holderSelectedContestDelay: delays.aSelected,
      counterpartySelectedContestDelay: delays.bSelected,
      holderDustLimitSat: 546n,
      counterpartyDustLimitSat: 354n,
    };
    sim.paramsB = {
      ...common,
      holderPubkeys: sim.signerB.pubkeys,
      counterpartyPubkeys: sim.signerA.pubkeys,
      holderIsOpener: false,
      holderSelectedContestDelay: delays.bSelected,
      counterpartySelectedContestDelay: delays.aSelected,
      holderDustLimitSat: 354n,
      counterpartyDustLimitSat: 546n,
    };
    sim.signerA.provideChannelParameters(sim.paramsA);
    sim.signerB.provideChannelParameters(sim.paramsB);
    const b0 = await sim.data('B', 0n, sim.state, 'B');
    const forB = await sim.signerA.signCounterpartyCommitment(b0);
    await sim.signerB.validateHolderCommitment(b0, forB.commitmentSignature, forB.htlcSignatures);
    sim.bSigned.set(0n, { data: b0, sigs: forB });
    const a0 = await sim.data('A', 0n, sim.state, 'A');
    const forA = await sim.signerB.signCounterpartyCommitment(a0);
    await sim.signerA.validateHolderCommitment(a0, forA.commitmentSignature, forA.htlcSignatures);
    sim.aSigned.set(0n, { data: a0, sigs: forA });
    const accepted = chain.submit([sim.fundingTx]);
    if (!accepted.accepted) throw new Error(`funding refused: ${accepted.error}`);
    await chain.mine(1);
    return sim;
  }

  /** Commitment `n` of `broadcaster` for `state`, with sources as `viewer`'s ChannelManager records them. */
  async data(broadcaster: Side, n: bigint, state: SimState, viewer: Side): Promise<MonitorCommitmentData> {
    const signer = broadcaster === 'A' ? this.signerA : this.signerB;
    const htlcs: MonitorHtlc[] = state.htlcs.map((h) => ({
      offered: h.offerer === broadcaster,
      htlcId: h.id,
      amountMsat: h.amountMsat,
      cltvExpiry: h.cltvExpiry,
      paymentHash: sha256(h.preimage),
      ...(h.offerer === viewer ? { source: sourceOf(h) } : {}),
    }));
    return {
      commitmentNumber: n,
      perCommitmentPoint: await signer.getPerCommitmentPoint(n),
      feeratePerKw: state.feeratePerKw,
      toBroadcasterMsat: broadcaster === 'A' ? state.aMsat : state.bMsat,
      toCountersignatoryMsat: broadcaster === 'A' ? state.bMsat : state.aMsat,
      htlcs,
    };
  }

  built(broadcaster: Side, n: bigint): BuiltCommitment {
    const signed = (broadcaster === 'A' ? this.aSigned : this.bSigned).get(n);
    if (signed === undefined) throw new Error(`no commitment ${broadcaster}${n}`);
    return buildCommitment(describeCommitment(broadcaster === 'A' ? this.paramsA : this.paramsB, signed.data, true, backend));
  }

  txidOf(broadcaster: Side, n: bigint): Txid {
    return txidOf(this.built(broadcaster, n).tx);
  }

  /** What `side`'s monitor starts from. */
  newMonitor(side: Side, bestBlock: BestBlock, destinationScript: Uint8Array): NewChannelMonitor {
    const own = (side === 'A' ? this.aSigned : this.bSigned).get(0n)!;
    return {
      channelId: this.channelId,
      counterpartyNodeId: (side === 'A' ? this.b : this.a).getNodeId(),
      channelKeysId: side === 'A' ? this.keysIdA : this.keysIdB,
      parameters: side === 'A' ? this.paramsA : this.paramsB,
      destinationScript,
      holderCommitment: { data: own.data, counterpartySignature: own.sigs.commitmentSignature, htlcSignatures: own.sigs.htlcSignatures },
      counterpartyCommitment: this.counterpartyCommitment(side, 0n),
      bestBlock,
    };
  }

  private counterpartyCommitment(viewer: Side, n: bigint): CounterpartyCommitment {
    const other: Side = viewer === 'A' ? 'B' : 'A';
    const signed = (other === 'A' ? this.aSigned : this.bSigned).get(n)!;
    return { data: this.viewOf(signed.data, other, viewer), txid: this.txidOf(other, n) };
  }

  /** The same commitment data with sources as `viewer` records them. */
  private viewOf(data: MonitorCommitmentData, broadcaster: Side, viewer: Side): MonitorCommitmentData {
    return {
      ...data,
      htlcs: data.htlcs.map((h) => {
        const sim = this.state.htlcs.find((x) => x.id === h.htlcId) ?? this.history.get(h.htlcId);
        const offerer: Side = h.offered ? broadcaster : broadcaster === 'A' ? 'B' : 'A';
        const { source: _drop, ...rest } = h;
        return offerer === viewer && sim !== undefined ? { ...rest, source: sourceOf(sim) } : rest;
      }),
    };
  }

  /** Every HTLC ever added, by id. */
  private readonly history = new Map<bigint, SimHtlc>();

  /** A new HTLC (not yet committed). */
  htlc(offerer: Side, amountMsat: bigint, cltvExpiry: number): SimHtlc {
    const id = this.nextHtlcId++;
    const h = { id, offerer, amountMsat, cltvExpiry, preimage: sha256(new TextEncoder().encode(`preimage ${id}`)) };
    this.history.set(id, h);
    return h;
  }

  /** The state with HTLCs added (their amounts taken from their offerer). */
  withHtlcs(...htlcs: SimHtlc[]): SimState {
    let { aMsat, bMsat } = this.state;
    for (const h of htlcs) {
      if (h.offerer === 'A') aMsat -= h.amountMsat;
      else bMsat -= h.amountMsat;
    }
    return { ...this.state, aMsat, bMsat, htlcs: [...this.state.htlcs, ...htlcs] };
  }

  /** The state with an HTLC settled: fulfilled (paid to its receiver) or failed (back to its offerer). */
  settled(h: SimHtlc, fulfilled: boolean): SimState {
    let { aMsat, bMsat } = this.state;
    const toA = fulfilled ? h.offerer === 'B' : h.offerer === 'A';
    if (toA) aMsat += h.amountMsat;
    else bMsat += h.amountMsat;
    return { ...this.state, aMsat, bMsat, htlcs: this.state.htlcs.filter((x) => x.id !== h.id) };
  }

  /** Moves both commitments to `next` (n + 1) in BOLT 2 order; the updates each side's Watch receives. */
  async advance(next: SimState): Promise<{ forA: ChannelMonitorUpdate[]; forB: ChannelMonitorUpdate[] }> {
    const n = this.n + 1n;
    const forA: ChannelMonitorUpdate[] = [];
    const forB: ChannelMonitorUpdate[] = [];
    // A sends commitment_signed for B's n
    const bData = await this.data('B', n, next, 'B');
    const bSigs = await this.signerA.signCounterpartyCommitment(bData);
    this.bSigned.set(n, { data: bData, sigs: bSigs });
    this.state = next;
    forA.push(this.updateA([{ kind: 'latest_counterparty_commitment', commitment: this.counterpartyCommitment('A', n) }]));
    await this.signerB.validateHolderCommitment(bData, bSigs.commitmentSignature, bSigs.htlcSignatures);
    forB.push(this.updateB([{ kind: 'latest_holder_commitment', commitment: { data: bData, counterpartySignature: bSigs.commitmentSignature, htlcSignatures: bSigs.htlcSignatures } }]));
    // B revokes its n - 1
    const bSecret = await this.signerB.releaseCommitmentSecret(n - 1n);
    await this.signerA.validateCounterpartyRevocation(n - 1n, bSecret);
    forA.push(this.updateA([{ kind: 'commitment_secret', commitmentNumber: n - 1n, secret: bSecret }]));
    // B sends commitment_signed for A's n
    const aData = await this.data('A', n, next, 'A');
    const aSigs = await this.signerB.signCounterpartyCommitment(aData);
    this.aSigned.set(n, { data: aData, sigs: aSigs });
    forB.push(this.updateB([{ kind: 'latest_counterparty_commitment', commitment: this.counterpartyCommitment('B', n) }]));
    await this.signerA.validateHolderCommitment(aData, aSigs.commitmentSignature, aSigs.htlcSignatures);
    forA.push(this.updateA([{ kind: 'latest_holder_commitment', commitment: { data: aData, counterpartySignature: aSigs.commitmentSignature, htlcSignatures: aSigs.htlcSignatures } }]));
    // A revokes its n - 1
    const aSecret = await this.signerA.releaseCommitmentSecret(n - 1n);
    await this.signerB.validateCounterpartyRevocation(n - 1n, aSecret);
    forB.push(this.updateB([{ kind: 'commitment_secret', commitmentNumber: n - 1n, secret: aSecret }]));
    this.n = n;
    return { forA, forB };
  }

  /** Continues A's update ids after `id` (a test that dropped updates its ChannelManager never sent). */
  resumeUpdatesAfter(id: bigint): void {
    this.updateIdA = id;
  }

  updateA(steps: ChannelMonitorUpdate['steps']): ChannelMonitorUpdate {
    return { channelId: this.channelId, updateId: ++this.updateIdA, steps };
  }

  updateB(steps: ChannelMonitorUpdate['steps']): ChannelMonitorUpdate {
    return { channelId: this.channelId, updateId: ++this.updateIdB, steps };
  }

  /** The update giving `side`'s monitor a preimage. */
  preimage(side: Side, h: SimHtlc): ChannelMonitorUpdate {
    const step = { kind: 'payment_preimage' as const, preimage: h.preimage };
    return side === 'A' ? this.updateA([step]) : this.updateB([step]);
  }

  /** `broadcaster`'s commitment `n`, fully signed by a fresh signer instance (which lets a cheater sign a revoked one). */
  async signedCommitment(broadcaster: Side, n: bigint): Promise<Tx> {
    const { signed, fresh } = await this.freshSigner(broadcaster, n);
    const ours = await fresh.signHolderCommitment(signed.data);
    return finalizeCommitment(this.built(broadcaster, n), ours, signed.sigs.commitmentSignature);
  }

  private async freshSigner(broadcaster: Side, n: bigint) {
    const signed = (broadcaster === 'A' ? this.aSigned : this.bSigned).get(n);
    if (signed === undefined) throw new Error(`no commitment ${broadcaster}${n}`);
    const keys = broadcaster === 'A' ? this.a : this.b;
    const fresh = keys.deriveChannelSigner(this.fundingSat, broadcaster === 'A' ? this.keysIdA : this.keysIdB);
    fresh.provideChannelParameters(broadcaster === 'A' ? this.paramsA : this.paramsB);
    await fresh.validateHolderCommitment(signed.data, signed.sigs.commitmentSignature, signed.sigs.htlcSignatures);
    return { signed, fresh };
  }

  /**
   * `broadcaster`'s second-stage HTLC transactions of its commitment `n` (no anchors:
   * they pay their own fee), HTLC-success ones only for HTLCs whose preimage it has.
   */
  async signedHtlcTxs(
    broadcaster: Side,
    n: bigint,
    knownPreimages: (h: SimHtlc) => boolean = () => true,
    feeCoin?: FeeCoin,
  ): Promise<{ tx: Tx; htlc: HtlcTransaction; sim: SimHtlc }[]> {
    const { signed, fresh } = await this.freshSigner(broadcaster, n);
    const txs = buildHtlcTransactions(this.built(broadcaster, n));
    const out: { tx: Tx; htlc: HtlcTransaction; sim: SimHtlc }[] = [];
    for (const [i, h] of txs.entries()) {
      const mh = signed.data.htlcs[h.htlcIndex]!;
      const sim = this.history.get(mh.htlcId)!;
      if (h.kind === 'success' && !knownPreimages(sim)) continue;
      // Anchors: the zero-fee transaction gets a fee input and change (the counterparty's
      // SIGHASH_SINGLE|ANYONECANPAY signature allows it); the broadcaster signs it all.
      const tx: Tx =
        feeCoin === undefined
          ? h.tx
          : {
              ...h.tx,
              inputs: [h.tx.inputs[0]!, { previousOutput: feeCoin.outpoint, sequence: 0xfffffffd }],
              outputs: [h.tx.outputs[0]!, { script: feeCoin.key.script, amount: feeCoin.amount - 3_000n }],
            };
      const ours = await fresh.signHolderHtlcTransaction({ ...h, tx }, n, 0);
      let signedTx = finalizeHtlcTx({ ...h, tx }, ours, signed.sigs.htlcSignatures[i]!, h.kind === 'success' ? sim.preimage : undefined);
      if (feeCoin !== undefined) signedTx = signP2wpkh(signedTx, 1, feeCoin.key, feeCoin.amount);
      out.push({ tx: signedTx, htlc: h, sim });
    }
    return out;
  }

  /** The HTLC of a payment hash. */
  byHash(hash: Uint8Array): SimHtlc | undefined {
    return [...this.history.values()].find((h) => toHex(sha256(h.preimage)) === toHex(hash));
  }
}
