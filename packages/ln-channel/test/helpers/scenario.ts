// Common steps of the tests: two nodes on a chain, a channel opened and
// confirmed, payments between them.
import type { ChannelId } from 'ln-types';
import { type Event, type UserConfig, userConfig } from '../../src/index.js';
import { TestChain, TestWallet, attachChain } from './chain.js';
import { TestNode, type NodeOptions } from './node.js';
import { Pipe } from './pipe.js';

export interface Pair {
  readonly chain: TestChain;
  readonly a: TestNode;
  readonly b: TestNode;
  readonly pipe: Pipe;
  readonly wallet: TestWallet;
}

/** Two nodes on a fresh chain, connected. */
export function pair(opts: { a?: NodeOptions; b?: NodeOptions; chain?: TestChain } = {}): Pair {
  const chain = opts.chain ?? new TestChain({ now: () => 1_700_000_000 });
  const tip = chain.tip;
  const bestBlock = { blockHash: tip.hash, height: tip.height };
  const a = new TestNode(0x11, { chain, bestBlock, ...opts.a });
  const b = new TestNode(0x22, { chain, bestBlock, ...opts.b });
  attachChain(chain, a);
  attachChain(chain, b);
  const pipe = new Pipe(a, b);
  pipe.connect();
  return { chain, a, b, pipe, wallet: new TestWallet(0x33) };
}

export function ofKind<K extends Event['kind']>(events: readonly Event[], kind: K): Extract<Event, { kind: K }>[] {
  return events.filter((e): e is Extract<Event, { kind: K }> => e.kind === kind);
}

/**
 * Opens a channel from `from` to the other node of the pair, funds it through
 * the chain, mines to the minimum depth and waits for channel_ready both ways.
 */
export async function openChannel(
  p: Pair,
  opts: { from?: 'a' | 'b'; valueSat?: bigint; pushMsat?: bigint; config?: UserConfig; confirm?: boolean } = {},
): Promise<ChannelId> {
  const from = opts.from === 'b' ? p.b : p.a;
  const to = opts.from === 'b' ? p.a : p.b;
  const value = opts.valueSat ?? 1_000_000n;
  from.manager.createChannel(to.nodeId, value, opts.pushMsat ?? 0n, 42n, opts.config);
  await p.pipe.settle();
  const ready = ofKind(await from.drainEvents(), 'funding_generation_ready');
  check(ready.length === 1, 'one FundingGenerationReady');
  const ev = ready[0]!;
  const tx = p.wallet.pay(p.chain, [{ script: ev.outputScript, amountSat: value }]);
  from.manager.fundingTransactionGenerated(ev.temporaryChannelId, to.nodeId, tx);
  await p.pipe.settle();
  const pendingFrom = ofKind(await from.drainEvents(), 'channel_pending');
  const pendingTo = ofKind(await to.drainEvents(), 'channel_pending');
  check(pendingFrom.length === 1 && pendingTo.length === 1, 'ChannelPending on both sides');
  const channelId = pendingFrom[0]!.channelId;
  if (opts.confirm !== false) {
    const depth = Math.max(from.manager.listChannels().find((c) => c.channelId.every((x, i) => x === channelId[i]))?.confirmationsRequired ?? 1, to.config.channelHandshakeConfig.minimumDepth);
    p.chain.mine(depth);
    await p.pipe.settle();
    check(ofKind(await from.drainEvents(), 'channel_ready').length === 1, 'ChannelReady at the opener');
    check(ofKind(await to.drainEvents(), 'channel_ready').length === 1, 'ChannelReady at the acceptor');
  }
  return channelId;
}

export { userConfig };

/** A plain assertion (these helpers also run in benchmarks, outside jest). */
export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`expected: ${what}`);
}
