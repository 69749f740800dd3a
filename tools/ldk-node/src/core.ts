import * as ldk from 'lightningdevkit';
import { blockHash, equalBytes, toHex } from 'ln-types';
import type { ChainBackend, ChainTipInfo } from './chain-backend.js';
import { LdkNodeError } from './errors.js';
import { expectOk } from './result.js';

/** The user-supplied parts LDK's objects are built on. */
export interface CoreDeps {
  readonly seed: Uint8Array;
  readonly network: ldk.Network;
  readonly logger: ldk.Logger;
  readonly fees: ldk.FeeEstimator;
  readonly broadcaster: ldk.BroadcasterInterface;
  readonly persist: ldk.Persist;
  readonly walletSource: ldk.WalletSource;
  readonly config: ldk.UserConfig;
  /** Seconds since the epoch. */
  readonly nowSecs: number;
  /** False: a peer-only node (no ChannelManager; channel messages get LDK's ErroringMessageHandler). */
  readonly channels: boolean;
}

/** Serialized LDK state: what a restart rebuilds the node from. */
export interface CoreState {
  readonly manager: Uint8Array;
  /** Monitors by storage name. */
  readonly monitors: ReadonlyMap<string, Uint8Array>;
  readonly graph: Uint8Array | undefined;
  readonly scorer: Uint8Array | undefined;
}

/** Every LDK object of one node incarnation, each kept referenced for as long as LDK uses it. */
export interface Core {
  readonly keys: ldk.KeysManager;
  readonly chainMonitor: ldk.ChainMonitor;
  readonly channelManager: ldk.ChannelManager | undefined;
  readonly graph: ldk.NetworkGraph;
  readonly gossip: ldk.P2PGossipSync;
  readonly scorer: ldk.ProbabilisticScorer;
  readonly lockableScore: ldk.MultiThreadedLockableScore;
  readonly router: ldk.DefaultRouter;
  readonly messageRouter: ldk.DefaultMessageRouter;
  readonly peerManager: ldk.PeerManager;
  readonly coinSelection: ldk.Wallet;
  readonly bumpHandler: ldk.BumpTransactionEventHandler;
  /** Trait objects LDK holds pointers to: referenced here so the garbage collector leaves them alone. */
  readonly keepAlive: unknown[];
}

let startCounter = 0;

/**
 * Builds a fresh node on `tip`, or restores one from `state` and brings its
 * ChannelManager and each ChannelMonitor up to `tip` block by block from their
 * own best blocks (as lightning-block-sync's init does), then hands the monitors
 * to the ChainMonitor.
 */
export async function buildCore(deps: CoreDeps, chain: ChainBackend, tip: ChainTipInfo, state?: CoreState): Promise<Core> {
  // A distinct starting time per incarnation keeps LDK's derived randomness fresh after a restart.
  const startNanos = (startCounter++ * 1_000_003) % 1_000_000_000;
  const keys = ldk.KeysManager.constructor_new(deps.seed, BigInt(deps.nowSecs), startNanos);
  const entropy = keys.as_EntropySource();
  const nodeSigner = keys.as_NodeSigner();
  const signerProvider = keys.as_SignerProvider();
  const chainMonitor = ldk.ChainMonitor.constructor_new(ldk.Option_FilterZ.constructor_none(), deps.broadcaster, deps.logger, deps.fees, deps.persist);

  const graph =
    state?.graph !== undefined
      ? expectOk(ldk.NetworkGraph.constructor_read(state.graph, deps.logger), ldk.Result_NetworkGraphDecodeErrorZ_OK, 'reading the network graph').res
      : ldk.NetworkGraph.constructor_new(deps.network, deps.logger);
  const decay = ldk.ProbabilisticScoringDecayParameters.constructor_default();
  const scorer =
    state?.scorer !== undefined
      ? expectOk(ldk.ProbabilisticScorer.constructor_read(state.scorer, decay, graph, deps.logger), ldk.Result_ProbabilisticScorerDecodeErrorZ_OK, 'reading the scorer').res
      : ldk.ProbabilisticScorer.constructor_new(decay, graph, deps.logger);
  const lockableScore = ldk.MultiThreadedLockableScore.constructor_new(scorer.as_Score());
  const router = ldk.DefaultRouter.constructor_new(graph, deps.logger, entropy, lockableScore.as_LockableScore(), ldk.ProbabilisticScoringFeeParameters.constructor_default());
  const messageRouter = ldk.DefaultMessageRouter.constructor_new(graph, entropy);
  const gossip = ldk.P2PGossipSync.constructor_new(graph, ldk.Option_UtxoLookupZ.constructor_none(), deps.logger);

  let channelManager: ldk.ChannelManager | undefined;
  let monitors: ldk.ChannelMonitor[] = [];
  if (deps.channels) {
    if (state === undefined) {
      const params = ldk.ChainParameters.constructor_new(deps.network, ldk.BestBlock.constructor_new(tip.hash, tip.height));
      channelManager = ldk.ChannelManager.constructor_new(
        deps.fees,
        chainMonitor.as_Watch(),
        deps.broadcaster,
        router.as_Router(),
        messageRouter.as_MessageRouter(),
        deps.logger,
        entropy,
        nodeSigner,
        signerProvider,
        deps.config,
        params,
        deps.nowSecs,
      );
    } else {
      monitors = [...state.monitors.entries()].map(([name, bytes]) => {
        const r = expectOk(ldk.UtilMethods.constructor_C2Tuple_ThirtyTwoBytesChannelMonitorZ_read(bytes, entropy, signerProvider), ldk.Result_C2Tuple_ThirtyTwoBytesChannelMonitorZDecodeErrorZ_OK, `reading monitor ${name}`);
        return r.res.get_b();
      });
      for (const monitor of monitors) {
        await syncFrom(chain, tip, monitor.current_best_block(), 'a ChannelMonitor', {
          connect: (header, txdata, height) => void monitor.block_connected(header, txdata, height, deps.broadcaster, deps.fees, deps.logger),
          disconnect: (header, height) => monitor.block_disconnected(header, height, deps.broadcaster, deps.fees, deps.logger),
        });
      }
      const read = expectOk(
        ldk.UtilMethods.constructor_C2Tuple_ThirtyTwoBytesChannelManagerZ_read(
          state.manager,
          entropy,
          nodeSigner,
          signerProvider,
          deps.fees,
          chainMonitor.as_Watch(),
          deps.broadcaster,
          router.as_Router(),
          messageRouter.as_MessageRouter(),
          deps.logger,
          deps.config,
          monitors,
        ),
        ldk.Result_C2Tuple_ThirtyTwoBytesChannelManagerZDecodeErrorZ_OK,
        'reading the ChannelManager',
      );
      channelManager = read.res.get_b();
      const listen = channelManager.as_Listen();
      await syncFrom(chain, tip, channelManager.current_best_block(), 'the ChannelManager', {
        connect: (_header, _txdata, height, raw) => listen.block_connected(raw, height),
        disconnect: (header, height) => listen.block_disconnected(header, height),
      });
      for (const monitor of monitors) {
        const funding = monitor.get_funding_txo().get_a();
        expectOk(chainMonitor.as_Watch().watch_channel(funding, monitor), ldk.Result_ChannelMonitorUpdateStatusNoneZ_OK, 'handing a restored monitor to the ChainMonitor');
      }
    }
  }

  const ignorer = ldk.IgnoringMessageHandler.constructor_new();
  const channelHandler = channelManager?.as_ChannelMessageHandler() ?? ldk.ErroringMessageHandler.constructor_new().as_ChannelMessageHandler();
  const peerManager = ldk.PeerManager.constructor_new(
    channelHandler,
    deps.channels ? gossip.as_RoutingMessageHandler() : ignorer.as_RoutingMessageHandler(),
    ignorer.as_OnionMessageHandler(),
    ignorer.as_CustomMessageHandler(),
    deps.nowSecs,
    entropy.get_secure_random_bytes(),
    deps.logger,
    nodeSigner,
  );
  const coinSelection = ldk.Wallet.constructor_new(deps.walletSource, deps.logger);
  const bumpHandler = ldk.BumpTransactionEventHandler.constructor_new(deps.broadcaster, coinSelection.as_CoinSelectionSource(), signerProvider, deps.logger);
  return {
    keys,
    chainMonitor,
    channelManager,
    graph,
    gossip,
    scorer,
    lockableScore,
    router,
    messageRouter,
    peerManager,
    coinSelection,
    bumpHandler,
    keepAlive: [deps, ignorer, channelHandler, monitors, entropy, nodeSigner, signerProvider],
  };
}

interface Syncable {
  connect(header: Uint8Array, txdata: ldk.TwoTuple_usizeTransactionZ[], height: number, raw: Uint8Array): void;
  disconnect(header: Uint8Array, height: number): void;
}

/**
 * Brings a component saved at `from` to `tip`: unwinds blocks of a branch the
 * chain has since abandoned (tip first, found by hash on the backend), then
 * connects the blocks of the best chain after the fork point.
 */
async function syncFrom(chain: ChainBackend, tip: ChainTipInfo, from: ldk.BestBlock, what: string, target: Syncable): Promise<void> {
  let height = from.get_height();
  let hash = from.get_block_hash();
  for (;;) {
    const onChain = height <= tip.height ? await chain.getBlock(height) : undefined;
    if (onChain !== undefined && equalBytes(onChain.hash, hash)) break;
    const stale = await chain.getBlockByHash(blockHash(hash));
    if (stale === undefined) throw new LdkNodeError('chain', `${what} was saved at block ${toHex(hash)} (height ${height}), which the chain backend does not know`);
    target.disconnect(stale.raw.subarray(0, 80), height);
    hash = stale.block.header.prevBlockHash;
    height--;
  }
  for (let h = height + 1; h <= tip.height; h++) {
    const b = await chain.getBlock(h);
    const txdata = b.block.transactions.map((t) => ldk.TwoTuple_usizeTransactionZ.constructor_new(t.index, t.raw));
    target.connect(b.raw.subarray(0, 80), txdata, h, b.raw);
  }
}

