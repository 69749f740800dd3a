// Stage 1: opening channels both ways between two of our managers, with the
// monitor created before anything can be broadcast and the funding transaction
// accepted (scripts checked) by the test chain.
import { describe, expect, test } from '@jest/globals';
import { toHex } from 'ln-types';
import { ofKind, openChannel, pair, userConfig } from './helpers/scenario.js';


describe('channel opening', () => {
  for (const anchors of [true, false]) {
    test(`a opens to b and b opens to a (${anchors ? 'anchors' : 'static_remotekey'})`, async () => {
      const config = userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: anchors, minimumDepth: 3 } });
      const p = pair({ a: { config }, b: { config } });
      const ab = await openChannel(p, { from: 'a', valueSat: 500_000n, pushMsat: 10_000_000n });
      const ba = await openChannel(p, { from: 'b', valueSat: 300_000n });
      for (const [node, other] of [
        [p.a, p.b],
        [p.b, p.a],
      ] as const) {
        const chans = node.manager.listChannels();
        expect(chans).toHaveLength(2);
        for (const c of chans) {
          expect(c.isUsable).toBe(true);
          expect(toHex(c.counterpartyNodeId)).toBe(toHex(other.nodeId));
          expect(c.shortChannelId).toBeDefined();
          expect(c.channelType[c.channelType.length - 3]! & 0x40).toBe(anchors ? 0x40 : 0);
        }
        expect(node.watch.violations).toEqual([]);
        expect(node.watch.monitors.size).toBe(2);
        expect(node.broadcastErrors).toEqual([]);
        expect(node.manager.internalErrors).toEqual([]);
      }
      const aToB = p.a.manager.listChannels().find((c) => toHex(c.channelId) === toHex(ab))!;
      expect(aToB.balanceMsat).toBe(500_000_000n - 10_000_000n);
      const bSide = p.b.manager.listChannels().find((c) => toHex(c.channelId) === toHex(ab))!;
      expect(bSide.balanceMsat).toBe(10_000_000n);
      expect(p.b.manager.listChannels().find((c) => toHex(c.channelId) === toHex(ba))!.isOutbound).toBe(true);
      // The funding transactions confirmed on the chain.
      expect(p.chain.confirmations(p.a.manager.listChannels()[0]!.fundingTxo!.txid)).toBeGreaterThanOrEqual(3);
    });
  }

  test('manual acceptance: OpenChannelRequest, then accept or reject', async () => {
    const p = pair({ b: { config: userConfig({ manuallyAcceptInboundChannels: true, channelHandshakeConfig: { minimumDepth: 1 } }) } });
    p.a.manager.createChannel(p.b.nodeId, 200_000n, 0n, 1n);
    await p.pipe.settle();
    // A refused open is retried once with a weaker channel type (LDK's maybe_handle_error_without_close):
    // anchors first, then static_remotekey alone, then the opener gives up.
    const offered: number[] = [];
    for (let i = 0; i < 2; i++) {
      const req = ofKind(await p.b.drainEvents(), 'open_channel_request');
      expect(req).toHaveLength(1);
      offered.push(req[0]!.channelType.length);
      p.b.manager.rejectInboundChannel(req[0]!.temporaryChannelId, p.a.nodeId);
      await p.pipe.settle();
    }
    expect(offered).toEqual([3, 2]);
    expect(ofKind(await p.a.drainEvents(), 'channel_closed')).toHaveLength(1);
    expect(p.a.manager.listChannels()).toHaveLength(0);
    p.a.manager.createChannel(p.b.nodeId, 200_000n, 0n, 2n);
    await p.pipe.settle();
    const req2 = ofKind(await p.b.drainEvents(), 'open_channel_request');
    p.b.manager.acceptInboundChannel(req2[0]!.temporaryChannelId, p.a.nodeId, 7n);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'funding_generation_ready')).toHaveLength(1);
  });
});

describe('channel opening options', () => {
  test('zero-conf from a trusted peer: usable before the funding confirms, the real short channel id later', async () => {
    const p = pair({ b: { config: userConfig({ manuallyAcceptInboundChannels: true }) } });
    p.a.manager.createChannel(p.b.nodeId, 400_000n, 0n, 1n);
    await p.pipe.settle();
    const req = ofKind(await p.b.drainEvents(), 'open_channel_request')[0]!;
    p.b.manager.acceptInboundChannelFromTrustedPeer0conf(req.temporaryChannelId, p.a.nodeId, 9n);
    await p.pipe.settle();
    const ev = ofKind(await p.a.drainEvents(), 'funding_generation_ready')[0]!;
    p.a.manager.fundingTransactionGenerated(ev.temporaryChannelId, p.b.nodeId, p.wallet.pay(p.chain, [{ script: ev.outputScript, amountSat: 400_000n }]));
    await p.pipe.settle();
    // Nothing mined: both sides are ready on the alias alone.
    expect(ofKind(await p.a.drainEvents(), 'channel_ready')).toHaveLength(1);
    expect(ofKind(await p.b.drainEvents(), 'channel_ready')).toHaveLength(1);
    const ch = p.a.manager.listChannels()[0]!;
    expect(ch.isUsable).toBe(true);
    expect(ch.shortChannelId).toBeUndefined();
    expect(ch.inboundScidAlias).toBeDefined();
    expect(p.b.manager.listChannels()[0]!.inboundScidAlias).toBe(ch.outboundScidAlias);
    p.chain.mine(1);
    await p.pipe.settle();
    expect(p.a.manager.listChannels()[0]!.shortChannelId).toBeDefined();
  });

  test('batch funding: one transaction funds two channels and is broadcast once both are signed', async () => {
    const p = pair();
    p.a.manager.createChannel(p.b.nodeId, 300_000n, 0n, 1n);
    p.a.manager.createChannel(p.b.nodeId, 200_000n, 0n, 2n);
    await p.pipe.settle();
    const evs = ofKind(await p.a.drainEvents(), 'funding_generation_ready');
    expect(evs).toHaveLength(2);
    const tx = p.wallet.pay(p.chain, evs.map((e) => ({ script: e.outputScript, amountSat: e.channelValueSat })));
    p.a.manager.batchFundingTransactionGenerated(evs.map((e) => ({ temporaryChannelId: e.temporaryChannelId, counterpartyNodeId: p.b.nodeId })), tx);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'channel_pending')).toHaveLength(2);
    expect(p.a.broadcasts).toHaveLength(1);
    expect(p.a.broadcasts[0]!.outputs.length).toBe(3);
    p.chain.mine(6);
    await p.pipe.settle();
    expect(p.a.manager.listUsableChannels()).toHaveLength(2);
  });

  test('a funding transaction that does not pay the channel is refused', async () => {
    const p = pair();
    p.a.manager.createChannel(p.b.nodeId, 300_000n, 0n, 1n);
    await p.pipe.settle();
    const ev = ofKind(await p.a.drainEvents(), 'funding_generation_ready')[0]!;
    const wrong = p.wallet.pay(p.chain, [{ script: ev.outputScript, amountSat: 299_999n }]);
    expect(() => p.a.manager.fundingTransactionGenerated(ev.temporaryChannelId, p.b.nodeId, wrong)).toThrow(/exactly one output/);
    const unsigned = { ...wrong, inputs: wrong.inputs.map((i) => ({ previousOutput: i.previousOutput, sequence: i.sequence })) };
    expect(() => p.a.manager.fundingTransactionGenerated(ev.temporaryChannelId, p.b.nodeId, { ...unsigned, outputs: [{ script: ev.outputScript, amount: 300_000n }] })).toThrow(/segwit/);
  });
});
