// Two of our nodes in this process for benchmarks: ChannelManagers with test
// Watches (every monitor change serialized), KeysManagers and PeerManagers
// joined by an in-process socket (BOLT 8 on every message), one confirmed
// channel opened on the regtest chain.
import { PeerManager, scheduleProcessEvents, type SocketDescriptor } from 'ln-peer';
import type { Secp256k1Backend } from 'ln-crypto';
import { CHAIN_HASHES, publicKey, type NodeId } from 'ln-types';
import { userConfig } from '../src/index.js';
import type { TestNode } from '../test/helpers/node.js';
import { openChannel, pair } from '../test/helpers/scenario.js';

class ImmediateSocket implements SocketDescriptor {
  other!: ImmediateSocket;
  closed = false;
  constructor(readonly pm: PeerManager) {}
  sendData(data: Uint8Array): number {
    if (this.closed) return 0;
    const copy = data.slice();
    setImmediate(() => {
      if (this.other.closed) return;
      this.other.pm.readEvent(this.other, copy);
      this.other.pm.processEvents();
    });
    return data.length;
  }
  disconnectSocket(): void {
    this.closed = true;
  }
}

export interface OurPair {
  /** One HTLC a -> b: add, dance, claim, fulfill, dance; resolves at PaymentSent. */
  roundTrip(): Promise<void>;
  /**
   * One BOLT 11 payment a -> b: b makes and signs an invoice, a decodes it,
   * routes, builds the onion and pays; resolves at PaymentSent.
   */
  payInvoice(): Promise<void>;
  close(): void;
}

export async function ourPair(backend: Secp256k1Backend): Promise<OurPair> {
  const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1, maxInboundHtlcValueInFlightPercentOfChannel: 100, ourMaxAcceptedHtlcs: 483 } });
  // Each node its own backend name: ln-tx caches commitment keys per backend,
  // and two nodes in one process must not share the derivations of the
  // commitments they both see (two real nodes never do).
  const p = pair({ a: { config, backend: { ...backend, name: `${backend.name}-a` } }, b: { config, backend: { ...backend, name: `${backend.name}-b` } } });
  await openChannel(p, { valueSat: 10_000_000n });
  p.pipe.disconnect();
  for (const n of [p.a, p.b]) n.watch.serialize = true;
  const pms = [p.a, p.b].map(
    (n) =>
      new PeerManager({
        localPublicKey: publicKey(n.nodeId),
        ecdh: (pk) => n.keys.ecdh('node', publicKey(pk)),
        handlers: { channel: n.manager },
        chains: [CHAIN_HASHES.regtest],
        secp256k1: backend,
      }),
  ) as [PeerManager, PeerManager];
  const waiters = new Map<string, () => void>();
  const preimages = new Map<string, Uint8Array>();
  const loop = (n: TestNode, pm: PeerManager) => {
    let scheduled = false;
    n.manager.subscribe(() => {
      scheduleProcessEvents(pm);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void n.manager.processPendingEvents((e) => {
          if (e.kind === 'payment_claimable') n.manager.claimFunds(e.purpose.paymentPreimage ?? preimages.get(hexOf(e.paymentHash))!);
          if (e.kind === 'payment_sent') waiters.get(hexOf(e.paymentHash))?.();
        });
      });
    });
  };
  loop(p.a, pms[0]);
  loop(p.b, pms[1]);
  const sa = new ImmediateSocket(pms[0]);
  const sb = new ImmediateSocket(pms[1]);
  sa.other = sb;
  sb.other = sa;
  pms[1].newInboundConnection(sb);
  pms[0].newOutboundConnection(p.b.nodeId, sa);
  pms[0].processEvents();
  await until(() => p.a.manager.listUsableChannels().length === 1 && p.b.manager.listUsableChannels().length === 1);
  let counter = 0;
  return {
    async roundTrip() {
      const inv = p.b.manager.createInboundPayment({ amountMsat: 1_000n, expirySeconds: 3600 });
      preimages.set(hexOf(inv.paymentHash), inv.preimage!);
      const done = new Promise<void>((resolve) => waiters.set(hexOf(inv.paymentHash), resolve));
      const paymentId = new Uint8Array(32);
      new DataView(paymentId.buffer).setUint32(0, ++counter);
      p.a.manager.payDirect({ paymentId, payee: p.b.nodeId as NodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 1_000n, minFinalCltvExpiryDelta: 24 });
      await done;
      waiters.delete(hexOf(inv.paymentHash));
    },
    async payInvoice() {
      const { invoice, payment } = await p.b.manager.createInvoice({ amountMsat: 1_000n, description: '' });
      const done = new Promise<void>((resolve) => waiters.set(hexOf(payment.paymentHash), resolve));
      const paymentId = new Uint8Array(32);
      new DataView(paymentId.buffer).setUint32(0, ++counter);
      await p.a.manager.payInvoice(invoice, paymentId, { kind: 'attempts', count: 0 });
      await done;
      waiters.delete(hexOf(payment.paymentHash));
    },
    close() {
      sa.closed = true;
      sb.closed = true;
    },
  };
}

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

async function until(cond: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('benchmark setup timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
