import { type BroadcasterInterface, type ConfirmationTarget, type FeeEstimator, FEERATE_FLOOR_SAT_PER_KW, feerateWithFloor } from 'ln-chain-api';
import { type Secp256k1Backend, sha256 } from 'ln-crypto';
import type { ChannelSigner } from 'ln-signer-api';
import { type Logger, concatBytes, fromHex, isLogEnabled, toHex } from 'ln-types';
import { type Tx, TxError, txWeight, txidOf } from 'ln-tx';
import { type ClaimInputSpec } from '../claims/claim-input.js';
import { buildSignedClaim, claimInputSat, claimWeight } from '../claims/build-claim-tx.js';
import { builtHolderCommitment, holderAnchor, holderHtlcDescriptor, signedHolderCommitment, signedHolderHtlcTx } from '../claims/holder-claims.js';
import { CLAIM_DUST_LIMIT_SAT } from '../constants.js';
import type { BumpTransactionEvent } from '../events.js';
import type { ClaimPackage, MonitorState } from '../monitor/state.js';
import type { Claimable } from './claim-tracker.js';
import { bumpedFeerate, claimTarget, initialFeerate, nextBumpHeight } from './fee-bump.js';
import { packageDeadline } from './package.js';

// Runs the packages of the claim tracker on a block: builds, signs and
// broadcasts each claim, bumps the fee of those that have not confirmed by their
// bump height, rebroadcasts the others as they were, and for anchor channels
// asks the wallet to pay (BumpTransaction events).

/** What the runner works with (the monitor's). */
export interface ClaimRunnerContext {
  readonly state: MonitorState;
  readonly backend: Secp256k1Backend;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  readonly logger: Logger;
  signer(): ChannelSigner;
  ensureSignerHolder(): Promise<void>;
  emitBump(event: BumpTransactionEvent): void;
}

function u32le(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

/** A claim id for a set of outpoints (stable across bumps: the handler reuses its wallet inputs). */
function claimIdOf(outpoints: readonly string[]): Uint8Array {
  return sha256(concatBytes(...outpoints.map((k) => {
    const [txid, index] = k.split(':') as [string, string];
    return concatBytes(fromHex(txid), u32le(Number(index)));
  })));
}

export class ClaimRunner {
  private readonly ctx: ClaimRunnerContext;
  /** The last transaction broadcast for each package (memory only: rebuilt after a restart). */
  private readonly sent = new Map<number, Tx>();

  constructor(ctx: ClaimRunnerContext) {
    this.ctx = ctx;
  }

  private log(level: 'debug' | 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    if (!isLogEnabled(this.ctx.logger, level)) return;
    this.ctx.logger.log({ level, module: 'ln-monitor/claims', message, channel: toHex(this.ctx.state.channelId), ...(fields === undefined ? {} : { fields }) });
  }

  private broadcast(txs: Tx[]): void {
    this.ctx.broadcaster.broadcastTransactions(txs);
  }

  /** Runs every package at `height`. Returns true if any package's stored state changed. */
  async run(claimables: Map<string, Claimable>, height: number): Promise<boolean> {
    let changed = false;
    const live = new Set(this.ctx.state.packages.map((p) => p.id));
    for (const id of this.sent.keys()) if (!live.has(id)) this.sent.delete(id);
    for (const p of [...this.ctx.state.packages]) {
      const before = `${p.feerate}/${p.nextBumpHeight}/${p.stale}`;
      try {
        await this.runPackage(p, claimables, height);
      } catch (err) {
        this.log('warn', 'claim failed; retrying on the next block', { package: p.id, kind: p.kind, error: String(err) });
      }
      if (`${p.feerate}/${p.nextBumpHeight}/${p.stale}` !== before) changed = true;
    }
    return changed;
  }

  /** Broadcasts again what each package last broadcast. */
  async rebroadcast(): Promise<void> {
    for (const p of this.ctx.state.packages) {
      const tx = this.sent.get(p.id);
      if (tx !== undefined) this.broadcast([tx]);
    }
  }

  private async runPackage(p: ClaimPackage, claimables: Map<string, Claimable>, height: number): Promise<void> {
    const items = p.outpoints.map((k) => claimables.get(k)).filter((c): c is Claimable => c !== undefined);
    if (items.length === 0) return;
    const deadline = packageDeadline(items.map((c) => (c.type === 'malleable' ? c.spec : c)));
    const target = claimTarget(deadline, height);
    switch (p.kind) {
      case 'malleable': {
        const specs = items.map((c) => (c as Extract<Claimable, { type: 'malleable' }>).spec);
        const cached = this.sent.get(p.id);
        const fresh = p.feerate === 0;
        const bumpDue = !fresh && height >= p.nextBumpHeight;
        if (!p.stale && !bumpDue && cached !== undefined) {
          this.broadcast([cached]);
          return;
        }
        const weight = claimWeight(this.ctx.state, specs);
        const inputSat = claimInputSat(specs);
        // A rebuild (outputs changed, or after a restart) keeps the rate and the bump schedule:
        // with the same outputs it is the same transaction.
        let feerate = fresh
          ? initialFeerate(this.ctx.feeEstimator, target, 0)
          : bumpDue
            ? bumpedFeerate(this.ctx.feeEstimator, target, p.feerate, weight, inputSat, CLAIM_DUST_LIMIT_SAT)
            : p.feerate;
        feerate = Math.min(feerate, affordableFeerate(weight, inputSat));
        if (feerate < FEERATE_FLOOR_SAT_PER_KW) {
          this.log('warn', 'claim not worth its fee; waiting for lower fees', { package: p.id, inputSat: String(inputSat) });
          p.stale = false;
          p.nextBumpHeight = height + 1;
          return;
        }
        const tx = await this.signClaim(specs, feerate);
        this.sent.set(p.id, tx);
        this.broadcast([tx]);
        this.log('info', 'claim broadcast', { package: p.id, txid: toHex(txidOf(tx)), feerate, inputs: specs.length });
        p.feerate = feerate;
        if (fresh || bumpDue) p.nextBumpHeight = nextBumpHeight(deadline, height);
        p.stale = false;
        return;
      }
      case 'holder_htlc': {
        let tx = this.sent.get(p.id);
        if (tx === undefined) {
          const out = (items[0] as Extract<Claimable, { type: 'holder_htlc' }>).out;
          tx = await signedHolderHtlcTx(this.ctx.state, this.ctx.signer(), out, this.ctx.backend);
          this.sent.set(p.id, tx);
          this.log('info', 'HTLC transaction broadcast', { txid: toHex(txidOf(tx)) });
        }
        this.broadcast([tx]);
        p.stale = false;
        return;
      }
      case 'anchor_htlc': {
        const fresh = p.feerate === 0;
        const bumpDue = !fresh && height >= p.nextBumpHeight;
        if (!p.stale && !bumpDue) return;
        const feerate = fresh ? initialFeerate(this.ctx.feeEstimator, target, 0) : bumpDue ? bumpedTargetFeerate(this.ctx.feeEstimator, target, p.feerate) : p.feerate;
        const descriptors = items.map((c) => holderHtlcDescriptor(this.ctx.state, (c as Extract<Claimable, { type: 'holder_htlc' }>).out, this.ctx.backend));
        const s = this.ctx.state;
        this.ctx.emitBump({
          kind: 'htlc_resolution',
          channelId: s.channelId,
          counterpartyNodeId: s.counterpartyNodeId,
          claimId: claimIdOf(p.outpoints),
          targetFeerate: feerate,
          htlcDescriptors: descriptors,
          txLockTime: descriptors[0]!.htlc.tx.locktime,
        });
        p.feerate = feerate;
        if (fresh || bumpDue) p.nextBumpHeight = nextBumpHeight(deadline, height);
        p.stale = false;
        return;
      }
      case 'holder_commitment': {
        let tx = this.sent.get(p.id);
        if (tx === undefined) {
          await this.ctx.ensureSignerHolder();
          tx = (await signedHolderCommitment(this.ctx.state, this.ctx.signer(), this.ctx.backend)).tx;
          this.sent.set(p.id, tx);
          this.log('info', 'our commitment signed for broadcast', { txid: toHex(txidOf(tx)) });
        }
        const s = this.ctx.state;
        if (s.parameters.format !== 'anchors') {
          this.broadcast([tx]);
          p.stale = false;
          return;
        }
        const fee = s.parameters.fundingAmountSat - tx.outputs.reduce((sum, o) => sum + o.amount, 0n);
        const weight = txWeight(tx);
        const own = Number((fee * 1000n) / BigInt(weight));
        const fresh = p.feerate === 0;
        const bumpDue = !fresh && height >= p.nextBumpHeight;
        const wanted = fresh ? initialFeerate(this.ctx.feeEstimator, target, 0) : bumpDue ? bumpedTargetFeerate(this.ctx.feeEstimator, target, p.feerate) : p.feerate;
        if (own >= wanted) {
          // It pays enough on its own: no child needed.
          this.broadcast([tx]);
        } else if (fresh || bumpDue || p.stale) {
          const anchor = holderAnchor(s, builtHolderCommitment(s, this.ctx.backend));
          if (anchor === undefined) {
            this.broadcast([tx]);
          } else {
            this.ctx.emitBump({
              kind: 'channel_close',
              channelId: s.channelId,
              counterpartyNodeId: s.counterpartyNodeId,
              claimId: txidOf(tx),
              packageTargetFeerate: wanted,
              commitmentTx: tx,
              commitmentTxFeeSat: fee,
              anchor,
            });
          }
        }
        p.feerate = wanted;
        if (fresh || bumpDue) p.nextBumpHeight = nextBumpHeight(deadline, height);
        p.stale = false;
        return;
      }
    }
  }

  private async signClaim(specs: readonly ClaimInputSpec[], feerate: number): Promise<Tx> {
    try {
      return await buildSignedClaim(this.ctx.state, this.ctx.signer(), specs, feerate, this.ctx.backend);
    } catch (err) {
      if (err instanceof TxError && err.code === 'insufficient_funds') throw new TxError('insufficient_funds', `claim of ${specs.length} inputs cannot pay ${feerate} sat/kw`);
      throw err;
    }
  }
}

/** The highest rate a claim of `weight` spending `inputSat` can pay and keep a non-dust output. */
function affordableFeerate(weight: number, inputSat: bigint): number {
  const room = inputSat - CLAIM_DUST_LIMIT_SAT;
  if (room <= 0n) return 0;
  return Number((room * 1000n) / BigInt(weight));
}

/** A fee-rate bump for a transaction the wallet pays for: the estimate, or a quarter more than before. */
function bumpedTargetFeerate(estimator: FeeEstimator, target: ConfirmationTarget, previous: number): number {
  const estimate = feerateWithFloor(estimator, target);
  return Math.max(estimate, previous + Math.max(1, Math.floor(previous / 4)));
}
