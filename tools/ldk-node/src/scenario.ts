import { equalBytes } from 'ln-types';
import type { ChannelInfo } from './channel-info.js';
import type { LdkNode } from './ldk-node.js';
import type { RegtestChain } from './regtest-chain.js';

/**
 * Sends `amountSat` from the regtest chain's faucet to a fresh wallet script of
 * `node` and mines `confirmations` blocks (the wallet spends confirmed coins only).
 */
export async function fundNode(chain: RegtestChain, node: LdkNode, amountSat: bigint, confirmations = 1): Promise<void> {
  chain.fund(node.wallet.newScript(), amountSat);
  chain.mine(confirmations);
  await node.waitUntil(() => node.bestBlock.height === chain.height, 10_000, 'the node to see the funding block');
}

/** Options of {@link openConfirmedChannel}. */
export interface OpenOptions {
  readonly pushMsat?: bigint;
  readonly anchors?: boolean;
  readonly announce?: boolean;
  readonly scidPrivacy?: boolean;
  /** Blocks to mine after the funding is broadcast (default: 1, or 6 for announced channels). */
  readonly confirmations?: number;
  readonly timeoutMs?: number;
}

/**
 * Opens a channel from `from` to `to` (connected, `from` funded), mines its
 * funding and waits until both see it usable.
 * @returns the channel as each side lists it
 */
export async function openConfirmedChannel(chain: RegtestChain, from: LdkNode, to: LdkNode, amountSat: bigint, options: OpenOptions = {}): Promise<{ ours: ChannelInfo; theirs: ChannelInfo }> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const { userChannelId } = from.openChannel(to.nodeId, amountSat, {
    ...(options.pushMsat === undefined ? {} : { pushMsat: options.pushMsat }),
    ...(options.anchors === undefined ? {} : { anchors: options.anchors }),
    ...(options.announce === undefined ? {} : { announce: options.announce }),
    ...(options.scidPrivacy === undefined ? {} : { scidPrivacy: options.scidPrivacy }),
  });
  const pending = await from.waitFor('ChannelPending', (e) => e.userChannelId === userChannelId, timeoutMs);
  await from.waitUntil(() => chain.inMempool(pending.fundingTxo.txid), timeoutMs, 'the funding transaction in the mempool');
  chain.mine(options.confirmations ?? (options.announce === true ? 6 : 1));
  const usable = (n: LdkNode) => n.listChannels().find((c) => equalBytes(c.channelId, pending.channelId))?.usable === true;
  await from.waitUntil(() => usable(from) && usable(to), timeoutMs, 'the channel to be usable on both sides');
  return { ours: from.channel(pending.channelId)!, theirs: to.channel(pending.channelId)! };
}
