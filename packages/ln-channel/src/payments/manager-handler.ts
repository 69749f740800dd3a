// ChannelManager's HtlcHandler: the payments engine behind the manager's seam
// (manager/htlc-handler.ts). It turns the manager's callbacks into engine
// calls and the engine's HTLC requests into the manager's primitives.

import { currencyOfNetwork, type InvoiceCurrency } from 'ln-invoice';
import type { Router, ScoreUpdate } from 'ln-router-api';
import { networkOfChainHash, toHex, type ChainHash, type ShortChannelId } from 'ln-types';
import type { HtlcFailure, HtlcHandler, LockedInHtlc, OfferedHtlc, OutboundHtlcInfo, PaymentsContext } from '../manager/htlc-handler.js';
import { directPeerRouter } from './direct-router.js';
import { ChannelError } from '../errors.js';
import { PaymentEngine, type OfferedHtlcFailure, type PaymentEngineOptions, type PaymentHost } from './engine.js';
import { decodeHtlcSource } from './htlc-source.js';

/** How the payments engine is set up in a ChannelManager. */
export interface PaymentsOptions {
  /** Finds routes (ln-router's DefaultRouter, or ln-router-client's RemoteRouter). Default: channel peers only. */
  readonly router?: Router;
  /** Learns from payment outcomes (a local ProbabilisticScorer, or remoteScoreUpdate for a routing server). */
  readonly scorer?: ScoreUpdate;
  /** The invoice currency (default: from the manager's chain hash). */
  readonly currency?: InvoiceCurrency;
}

/** The HtlcHandler that runs the payments engine. */
export class PaymentsHandler implements HtlcHandler {
  readonly engine: PaymentEngine;
  readonly #ctx: PaymentsContext;
  readonly #errors: unknown[] = [];

  constructor(ctx: PaymentsContext, chainHash: ChainHash, options: PaymentsOptions = {}, state?: Uint8Array) {
    this.#ctx = ctx;
    const network = networkOfChainHash(chainHash);
    const cfg = ctx.config();
    const engineOptions: PaymentEngineOptions = {
      nodeSigner: ctx.nodeSigner,
      entropy: ctx.entropy,
      router: options.router ?? directPeerRouter,
      host: this.#host(),
      currency: options.currency ?? currencyOfNetwork(network ?? 'regtest'),
      secp256k1: ctx.backend,
      acceptInterceptHtlcs: cfg.acceptInterceptHtlcs,
      acceptForwardsToPrivateChannels: cfg.acceptForwardsToPrivChannels,
      logger: { level: 'debug', log: (r) => ctx.log(r.level, r.message) },
      ...(options.scorer !== undefined && { scorer: options.scorer }),
    };
    if (state !== undefined && state.length > 0) {
      try {
        this.engine = PaymentEngine.read(state, engineOptions);
      } catch (cause) {
        throw new ChannelError('invalid_data', `the payments state does not decode: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      // The chain position comes in started(), once the manager has read its own.
    } else {
      this.engine = new PaymentEngine(engineOptions);
      this.#run(this.engine.bestBlockUpdated(ctx.bestHeight(), ctx.highestSeenTimestamp()));
    }
  }

  /** Errors the engine's background work hit (bugs: tests assert none). */
  get errors(): readonly unknown[] {
    return this.#errors;
  }

  #run(p: Promise<unknown>): void {
    p.catch((e: unknown) => {
      this.#errors.push(e);
      this.#ctx.log('error', `payments: ${e instanceof Error ? e.message : String(e)}`);
    }).finally(() => this.#ctx.markDirty());
  }

  #host(): PaymentHost {
    const ctx = this.#ctx;
    return {
      channels: () => ctx.paymentChannels(),
      addHtlc: (channelId, add) => {
        try {
          ctx.addHtlc(channelId, {
            amountMsat: add.amountMsat,
            paymentHash: add.paymentHash,
            cltvExpiry: add.cltvExpiry,
            onion: add.onion,
            ...(add.pathKey !== undefined && { blindingPoint: add.pathKey }),
            source: add.source,
          });
          ctx.markDirty();
          return { ok: true };
        } catch (e) {
          return { ok: false, error: e instanceof Error ? e.message : String(e) };
        }
      },
      claimHtlc: (channelId, htlcId, preimage, attribution) => ctx.claimHtlc(channelId, htlcId, preimage, attribution),
      failHtlc: (channelId, htlcId, failure) => {
        if (failure.kind === 'malformed') ctx.failMalformedHtlc(channelId, htlcId, failure.sha256OfOnion, failure.failureCode);
        else ctx.failHtlc(channelId, htlcId, failure.reason, failure.attributionData);
      },
      emit: (event) => {
        ctx.emit(event);
        ctx.markDirty();
      },
    };
  }

  htlcLockedIn(h: LockedInHtlc): Promise<void> {
    return this.engine.htlcLockedIn({
      channelId: h.channelId,
      counterpartyNodeId: h.counterpartyNodeId,
      ...(h.shortChannelId !== undefined && { shortChannelId: h.shortChannelId as ShortChannelId }),
      htlcId: h.htlc.id,
      amountMsat: h.htlc.amountMsat,
      paymentHash: h.htlc.paymentHash,
      cltvExpiry: h.htlc.cltvExpiry,
      onion: h.htlc.onion,
      ...(h.htlc.blindingPoint !== undefined && { pathKey: h.htlc.blindingPoint }),
    });
  }

  offeredHtlcFulfilled(source: Uint8Array, preimage: Uint8Array, info: OutboundHtlcInfo, attribution?: Uint8Array): void {
    this.#run(this.engine.outboundFulfilled(source, preimage, { channelId: info.channelId, counterpartyNodeId: info.counterpartyNodeId, onChain: info.onChain }, attribution));
  }

  offeredHtlcFailed(source: Uint8Array, failure: HtlcFailure, info: OutboundHtlcInfo): void {
    const f: OfferedHtlcFailure =
      failure.kind === 'fail'
        ? { kind: 'fail', reason: failure.reason, ...(failure.attribution !== undefined && { attributionData: failure.attribution }) }
        : failure.kind === 'malformed'
          ? failure
          : failure.kind === 'local'
            ? { kind: 'local', reason: failure.reason }
            : { kind: 'on_chain' };
    this.#run(this.engine.outboundFailed(source, f, { channelId: info.channelId, counterpartyNodeId: info.counterpartyNodeId, onChain: info.onChain }));
  }

  bestBlockUpdated(height: number, timestamp: number): void {
    this.#run(this.engine.bestBlockUpdated(height, timestamp));
  }

  timerTickOccurred(): void {
    this.engine.pruneUndecided(new Set(this.#ctx.committedIncoming().map((h) => `${toHex(h.channelId)}:${h.htlcId}`)));
    this.#run(this.engine.timerTickOccurred());
  }

  /**
   * After a restart: payments of ours the saved state lost are restored from
   * the HTLCs channels and monitors still hold (their ids stay reserved); the
   * committed incoming HTLCs are decided again unless they are held already
   * (claimable, intercepted) or were forwarded (an offered HTLC carries them
   * as its source); claims not yet handed to their channels are replayed.
   */
  started(state: { readonly offered: readonly OfferedHtlc[]; readonly lockedIn: readonly LockedInHtlc[] }): void {
    this.#run(this.engine.bestBlockUpdated(this.#ctx.bestHeight(), this.#ctx.highestSeenTimestamp()));
    const forwarded = new Set<string>();
    for (const o of state.offered) {
      this.engine.restoreOfferedHtlc(o.source, o.paymentHash);
      try {
        const s = decodeHtlcSource(o.source);
        if (s.kind === 'forward') forwarded.add(`${toHex(s.prev.channelId)}:${s.prev.htlcId}`);
      } catch {
        // Not ours to read: the engine logged it.
      }
    }
    const committed = new Set(state.lockedIn.map((h) => `${toHex(h.channelId)}:${h.htlc.id}`));
    this.engine.pruneUndecided(committed);
    for (const h of state.lockedIn) {
      // Only what was handed over and may not have been decided; a forward is decided once its outgoing HTLC exists.
      if (!this.engine.isUndecided(h.channelId, h.htlc.id) || forwarded.has(`${toHex(h.channelId)}:${h.htlc.id}`)) continue;
      this.#run(this.htlcLockedIn(h));
    }
    this.#run(this.engine.replayPendingClaims());
  }

  /** Resolves when the engine has no background work left. */
  idle(): Promise<void> {
    return this.engine.idle();
  }

  write(): Uint8Array {
    return this.engine.write();
  }
}

