// Payments between two test nodes with the default payment handler.
import { expect } from '@jest/globals';
import type { TestNode } from './node.js';
import type { Pipe } from './pipe.js';
import { ofKind } from './scenario.js';

let paymentCounter = 0;

/** Registers a payment at `to`, pays it from `from`, claims it; returns the preimage. */
export async function pay(pipe: Pipe, from: TestNode, to: TestNode, amountMsat: bigint, opts: { claim?: boolean } = {}): Promise<{ preimage: Uint8Array; paymentId: Uint8Array }> {
  const inv = to.manager.createInboundPayment({ amountMsat, expirySeconds: 3600 });
  const paymentId = new Uint8Array(32);
  new DataView(paymentId.buffer).setUint32(0, ++paymentCounter);
  from.manager.payDirect({ paymentId, payee: to.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat, minFinalCltvExpiryDelta: 24 });
  await pipe.settle();
  const claimable = ofKind(await to.drainEvents(), 'payment_claimable');
  expect(claimable).toHaveLength(1);
  expect(claimable[0]!.amountMsat).toBe(amountMsat);
  if (opts.claim !== false) {
    to.manager.claimFunds(inv.preimage!);
    await pipe.settle();
    expect(ofKind(await to.drainEvents(), 'payment_claimed')).toHaveLength(1);
    const sent = ofKind(await from.drainEvents(), 'payment_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.paymentPreimage).toEqual(inv.preimage);
  }
  return { preimage: inv.preimage!, paymentId };
}
