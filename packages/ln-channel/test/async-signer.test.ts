// An asynchronous signer: a signature that arrives later pauses that channel
// only; the other channels with the same peer go on; the paused one resumes
// when the signature comes.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import type { KeysManager } from 'ln-signer';
import type { ChannelSigner, SignerProvider } from 'ln-signer-api';
import { type ChannelId, toHex } from 'ln-types';
import { ofKind, openChannel, pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);

/** Signers whose commitment signatures wait while their channel is held. */
class HeldSigners {
  readonly held = new Set<string>();
  readonly #waiting: (() => void)[] = [];

  provider(keys: KeysManager): SignerProvider {
    return {
      generateChannelKeysId: (inbound, user) => keys.generateChannelKeysId(inbound, user),
      deriveChannelSigner: (value, id) => this.#wrap(keys.deriveChannelSigner(value, id)),
      getDestinationScript: (id) => keys.getDestinationScript(id),
      getShutdownScript: () => keys.getShutdownScript(),
    };
  }

  #wrap(inner: ChannelSigner): ChannelSigner {
    const isHeld = () => this.held.has(toHex(inner.channelKeysId));
    const wait = () => new Promise<void>((r) => this.#waiting.push(r));
    return new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'signCounterpartyCommitment' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
        return async (...args: unknown[]) => {
          while (isHeld()) await wait();
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  release(keysId: Uint8Array): void {
    this.held.delete(toHex(keysId));
    for (const w of this.#waiting.splice(0)) w();
  }
}

describe('an asynchronous signer', () => {
  test('pauses its channel only', async () => {
    const held = new HeldSigners();
    const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });
    const p = pair({ a: { config, backend }, b: { config, backend } });
    // a's signers go through the holding proxy.
    const provider = held.provider(p.a.keys);
    // Rebuild a's manager around the proxied provider (same keys, same seed).
    p.pipe.disconnect();
    const { ChannelManager } = await import('../src/index.js');
    const { CHAIN_HASHES } = await import('ln-types');
    p.a.manager = new ChannelManager({
      chainHash: CHAIN_HASHES.regtest,
      feeEstimator: p.a.fees,
      watch: p.a.watch,
      broadcaster: p.a.broadcaster,
      signerProvider: provider,
      nodeSigner: p.a.keys,
      entropySource: p.a.keys,
      config,
      backend,
      bestBlock: { blockHash: p.chain.tip.hash, height: p.chain.tip.height },
    });
    p.pipe.connect();
    const x = await openChannel(p, { valueSat: 1_000_000n });
    const y = await openChannel(p, { valueSat: 1_000_000n });
    const keysIdOf = (id: ChannelId) => [...p.a.watch.monitors.values()].find((m) => toHex(m.monitor.channelId) === toHex(id))!.monitor.channelKeysId;
    held.held.add(toHex(keysIdOf(x)));
    const invX = p.b.manager.createInboundPayment({ amountMsat: 2_000_000n, expirySeconds: 3600 });
    const invY = p.b.manager.createInboundPayment({ amountMsat: 3_000_000n, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(1), payee: p.b.nodeId, paymentHash: invX.paymentHash, paymentSecret: invX.paymentSecret, amountMsat: 2_000_000n, minFinalCltvExpiryDelta: 24, channelId: x });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(2), payee: p.b.nodeId, paymentHash: invY.paymentHash, paymentSecret: invY.paymentSecret, amountMsat: 3_000_000n, minFinalCltvExpiryDelta: 24, channelId: y });
    // Y completes its dance while X waits for its signature (settle cannot finish with X's task pending: step instead).
    for (let i = 0; i < 30; i++) {
      p.pipe.pull();
      while (p.pipe.deliverOne('a') || p.pipe.deliverOne('b'));
      await new Promise((r) => setTimeout(r, 2));
      await p.b.manager.idle();
    }
    const claimable = ofKind(await p.b.drainEvents(), 'payment_claimable');
    expect(claimable.map((c) => toHex(c.paymentHash))).toEqual([toHex(invY.paymentHash)]);
    expect(p.a.manager.pendingTasks).toBeGreaterThan(0);
    held.release(keysIdOf(x));
    await p.pipe.settle();
    expect(ofKind(await p.b.drainEvents(), 'payment_claimable').map((c) => toHex(c.paymentHash))).toEqual([toHex(invX.paymentHash)]);
    p.b.manager.claimFunds(invX.preimage!);
    p.b.manager.claimFunds(invY.preimage!);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'payment_sent')).toHaveLength(2);
    expect(p.a.manager.internalErrors).toEqual([]);
  });
});
