import * as ldk from 'lightningdevkit';
import { randomBytes } from 'ln-crypto';
import { txidOfRaw } from 'ln-tx';
import { type Txid, toHex } from 'ln-types';
import type { Broadcaster } from './broadcaster.js';
import type { Core } from './core.js';
import { LdkNodeError } from './errors.js';
import { type LdkEvent, type LdkEventOf, type SpendableOutputInfo, toLdkEvent } from './events.js';
import type { SettableFees } from './fees.js';
import { expectOk } from './result.js';
import type { LdkWallet } from './wallet.js';

/** What the node does with an inbound channel request. */
export type InboundPolicy = 'accept' | 'reject' | 'manual';

/** An event copied out of LDK, with the LDK objects its reaction needs (cloned). */
export interface RawEvent {
  readonly event: LdkEvent;
  readonly bump?: ldk.BumpTransactionEvent;
  readonly path?: ldk.Path;
}

/** How the node answers events (from its options). */
export interface ReactionPolicy {
  readonly inbound: InboundPolicy;
  /** Peers whose inbound channels are accepted as zero-conf, or `all`. */
  readonly zeroConf: 'all' | ReadonlySet<string>;
  readonly claim: 'auto' | 'hold';
  readonly sweep: boolean;
  readonly forwardDelayMs: number;
}

/** What reactions use of the node: its current LDK objects (they change on restart) and parts. */
export interface ReactionContext {
  core(): Core;
  readonly wallet: LdkWallet;
  readonly fees: SettableFees;
  readonly broadcaster: Broadcaster;
  nowMs(): number;
  tipHeight(): number;
  /** Runs the node's event loop soon (after a delayed forward). */
  schedule(): void;
  isStopped(): boolean;
}

type OpenRequest = LdkEventOf<'OpenChannelRequest'>;

/**
 * Takes LDK's pending events (ChainMonitor's, then ChannelManager's) as plain
 * data. The handler only copies: acting inside LDK's `process_pending_events`
 * would call back into the object that is calling us.
 */
export function drainEvents(core: Core): RawEvent[] {
  const raw: RawEvent[] = [];
  const handler = ldk.EventHandler.new_impl({
    handle_event: (e: ldk.Event) => {
      // The event is borrowed for this call: copy it out, clone what is needed later.
      const event = toLdkEvent(e);
      if (e instanceof ldk.Event_BumpTransaction) raw.push({ event, bump: e.bump_transaction.clone() });
      else if (e instanceof ldk.Event_PaymentPathFailed || e instanceof ldk.Event_PaymentPathSuccessful || e instanceof ldk.Event_ProbeFailed || e instanceof ldk.Event_ProbeSuccessful) {
        raw.push({ event, path: e.path.clone() });
      } else raw.push({ event });
      return ldk.Result_NoneReplayEventZ.constructor_ok();
    },
  });
  core.chainMonitor.as_EventsProvider().process_pending_events(handler);
  core.channelManager?.as_EventsProvider().process_pending_events(handler);
  return raw;
}

/**
 * The node's answers to LDK's events: funding from the wallet, inbound
 * requests by policy, claims, forwards, fee bumps, outputs to sweep, scorer
 * updates; and the state the test inspects (held payments, pending requests,
 * spendable outputs).
 */
export class EventReactions {
  private readonly held = new Map<string, LdkEventOf<'PaymentClaimable'>>();
  private readonly openRequests = new Map<string, OpenRequest>();
  private readonly spendable: { info: SpendableOutputInfo; swept: boolean }[] = [];

  constructor(
    private readonly ctx: ReactionContext,
    private readonly policy: ReactionPolicy,
  ) {}

  /** Answers one event. @throws what LDK or the wallet refused (the node records it) */
  react(r: RawEvent): void {
    const e = r.event;
    const core = this.ctx.core();
    const cm = core.channelManager;
    const nowSecs = BigInt(Math.floor(this.ctx.nowMs() / 1000));
    switch (e.kind) {
      case 'FundingGenerationReady':
        return this.fund(cm!, e);
      case 'OpenChannelRequest':
        if (this.policy.inbound === 'manual') this.openRequests.set(toHex(e.temporaryChannelId), e);
        else if (this.policy.inbound === 'reject') this.reject(e);
        else this.accept(e, this.policy.zeroConf === 'all' || this.policy.zeroConf.has(toHex(e.counterpartyNodeId)), undefined);
        return;
      case 'PaymentClaimable':
        if (this.policy.claim === 'auto' && e.preimage !== undefined) cm!.claim_funds(e.preimage);
        else this.held.set(toHex(e.paymentHash), e);
        return;
      case 'PaymentClaimed':
        this.held.delete(toHex(e.paymentHash));
        return;
      case 'PendingHTLCsForwardable':
        if (this.policy.forwardDelayMs <= 0) cm!.process_pending_htlc_forwards();
        else
          setTimeout(() => {
            if (this.ctx.isStopped()) return;
            this.ctx.core().channelManager?.process_pending_htlc_forwards();
            this.ctx.schedule();
          }, this.policy.forwardDelayMs);
        return;
      case 'SpendableOutputs':
        for (const info of e.outputs) this.spendable.push({ info, swept: false });
        if (this.policy.sweep) this.sweep(this.ctx.fees.get('output_spending_fee'));
        return;
      case 'BumpTransaction':
        core.bumpHandler.handle_event(r.bump!);
        return;
      case 'DiscardFunding':
        if (e.fundingTxid !== undefined) this.ctx.wallet.release(e.fundingTxid);
        return;
      case 'PaymentPathFailed':
        if (e.shortChannelId !== undefined) core.scorer.as_ScoreUpdate().payment_path_failed(r.path!, e.shortChannelId, nowSecs);
        return;
      case 'PaymentPathSuccessful':
        core.scorer.as_ScoreUpdate().payment_path_successful(r.path!, nowSecs);
        return;
      case 'ProbeFailed':
        if (e.shortChannelId !== undefined) core.scorer.as_ScoreUpdate().probe_failed(r.path!, e.shortChannelId, nowSecs);
        return;
      case 'ProbeSuccessful':
        core.scorer.as_ScoreUpdate().probe_successful(r.path!, nowSecs);
        return;
      default:
        return;
    }
  }

  private fund(cm: ldk.ChannelManager, e: LdkEventOf<'FundingGenerationReady'>): void {
    const temporaryId = ldk.ChannelId.constructor_new(e.temporaryChannelId);
    let funding;
    try {
      funding = this.ctx.wallet.fundTransaction([{ script: e.outputScript, amount: e.channelValueSat }], this.ctx.fees.get('non_anchor_channel_fee'));
    } catch (err) {
      cm.force_close_without_broadcasting_txn(temporaryId, e.counterpartyNodeId, 'the wallet cannot fund the channel');
      throw err;
    }
    const res = cm.funding_transaction_generated(temporaryId, e.counterpartyNodeId, funding.raw);
    if (!(res instanceof ldk.Result_NoneAPIErrorZ_OK)) this.ctx.wallet.release(funding.txid);
    expectOk(res, ldk.Result_NoneAPIErrorZ_OK, 'handing the funding transaction to LDK');
  }

  /** Inbound requests waiting for the test (manual policy). */
  pendingRequests(): OpenRequest[] {
    return [...this.openRequests.values()];
  }

  /** Accepts a pending request; zero-conf trusts the peer's funding. @throws LdkNodeError when LDK refuses (limits) */
  acceptPending(temporaryChannelId: Uint8Array, zeroConf: boolean, userChannelId: bigint | undefined): void {
    this.accept(this.takeRequest(temporaryChannelId), zeroConf, userChannelId);
  }

  /** Refuses a pending request. */
  rejectPending(temporaryChannelId: Uint8Array): void {
    this.reject(this.takeRequest(temporaryChannelId));
  }

  private takeRequest(temporaryChannelId: Uint8Array): OpenRequest {
    const key = toHex(temporaryChannelId);
    const request = this.openRequests.get(key);
    if (request === undefined) throw new LdkNodeError('not_found', 'no pending channel request with that id');
    this.openRequests.delete(key);
    return request;
  }

  private accept(e: OpenRequest, zeroConf: boolean, userChannelId: bigint | undefined): void {
    const cm = this.ctx.core().channelManager!;
    const id = ldk.ChannelId.constructor_new(e.temporaryChannelId);
    const user = userChannelId ?? BigInt(`0x${toHex(randomBytes(15))}`);
    const r = zeroConf ? cm.accept_inbound_channel_from_trusted_peer_0conf(id, e.counterpartyNodeId, user) : cm.accept_inbound_channel(id, e.counterpartyNodeId, user);
    expectOk(r, ldk.Result_NoneAPIErrorZ_OK, 'accepting the inbound channel');
  }

  private reject(e: OpenRequest): void {
    const r = this.ctx.core().channelManager!.force_close_without_broadcasting_txn(ldk.ChannelId.constructor_new(e.temporaryChannelId), e.counterpartyNodeId, 'channel refused by the test');
    expectOk(r, ldk.Result_NoneAPIErrorZ_OK, 'refusing the inbound channel');
  }

  /** Payments held for the test. */
  heldPayments(): LdkEventOf<'PaymentClaimable'>[] {
    return [...this.held.values()];
  }

  forgetHeld(paymentHash: Uint8Array): void {
    this.held.delete(toHex(paymentHash));
  }

  spendableOutputs(): { info: SpendableOutputInfo; swept: boolean }[] {
    return this.spendable.map((s) => ({ ...s }));
  }

  /** Spends every unswept output to a wallet script (KeysManager's OutputSpender) and broadcasts it. */
  sweep(feerateSatPerKw: number): Txid | undefined {
    const todo = this.spendable.filter((s) => !s.swept);
    if (todo.length === 0) return undefined;
    const descriptors = todo.map((s) => expectOk(ldk.SpendableOutputDescriptor.constructor_read(s.info.descriptor), ldk.Result_SpendableOutputDescriptorDecodeErrorZ_OK, 'reading a descriptor').res);
    const r = this.ctx.core().keys.as_OutputSpender().spend_spendable_outputs(descriptors, [], this.ctx.wallet.newScript(), feerateSatPerKw, ldk.Option_u32Z.constructor_some(this.ctx.tipHeight()));
    const tx = expectOk(r, ldk.Result_TransactionNoneZ_OK, 'spending the outputs').res.slice();
    for (const s of todo) s.swept = true;
    this.ctx.broadcaster.broadcast([tx]);
    return txidOfRaw(tx);
  }

  /** After a restart LDK's requests and claimables are those of the new incarnation. */
  resetAfterRestart(): void {
    this.held.clear();
    this.openRequests.clear();
  }
}
