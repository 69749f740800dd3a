// Payments per second between two in-process ChannelManagers, each payment a
// BOLT 11 invoice made and signed by the payee, decoded (signature recovery),
// routed, onion built, the HTLC added and committed both ways, claimed,
// fulfilled and committed both ways, until payment_sent: sequential, and 20
// in flight. Noble and native secp256k1 backends; LDK-WASM doing the same in
// the same run (tools/ldk-node's benchmark peer) is the figure compared with.
import native from 'secp256k1';
import { type Measurement, median, quick, reportMeasurement } from 'ln-bench';
import { createNativeSecp256k1Backend, nobleSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { createLdkPaymentPeer, ldkPaymentsPerSecond, type PeerRate } from 'ln-ldk-node';
import { toHex } from 'ln-types';
import { type Event, NO_RETRY, userConfig } from '../src/index.js';
import { TestChain, TestWallet, attachChain } from '../test/helpers/chain.js';
import { TestNode } from '../test/helpers/node.js';
import { Pipe } from '../test/helpers/pipe.js';

const runs = quick ? 3 : 5;
const minMs = quick ? 500 : 2_000;

/** Two managers with one confirmed channel, and a pump that moves messages and handles events. */
class Pair {
  readonly chain = new TestChain({ now: () => 1_700_000_000 });
  readonly payer: TestNode;
  readonly payee: TestNode;
  readonly pipe: Pipe;
  readonly #waiting = new Map<string, () => void>();
  #pumping: Promise<void> | undefined;
  #counter = 0;

  constructor(backend: Secp256k1Backend) {
    const tip = this.chain.tip;
    const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1, maxInboundHtlcValueInFlightPercentOfChannel: 100 } });
    const common = { chain: this.chain, backend, config, bestBlock: { blockHash: tip.hash, height: tip.height } };
    this.payer = new TestNode(0x01, common);
    this.payee = new TestNode(0x02, common);
    attachChain(this.chain, this.payer);
    attachChain(this.chain, this.payee);
    this.pipe = new Pipe(this.payer, this.payee);
    this.pipe.connect();
  }

  async open(valueSat: bigint): Promise<void> {
    const wallet = new TestWallet(0x09);
    this.payer.manager.createChannel(this.payee.nodeId, valueSat, 0n, 1n);
    await this.pipe.settle();
    const ready = (await this.payer.drainEvents()).find((e): e is Extract<Event, { kind: 'funding_generation_ready' }> => e.kind === 'funding_generation_ready')!;
    this.payer.manager.fundingTransactionGenerated(ready.temporaryChannelId, this.payee.nodeId, wallet.pay(this.chain, [{ script: ready.outputScript, amountSat: valueSat }]));
    await this.pipe.settle();
    this.chain.mine(1);
    await this.pipe.settle();
    await this.payer.drainEvents();
    await this.payee.drainEvents();
    if (!this.payer.manager.listUsableChannels().some((c) => c.isUsable)) throw new Error('the channel did not open');
  }

  async #handle(): Promise<void> {
    await this.payee.manager.processPendingEvents((e) => {
      if (e.kind === 'payment_claimable') this.payee.manager.claimFunds(e.purpose.paymentPreimage!);
    });
    await this.payer.manager.processPendingEvents((e) => {
      if (e.kind === 'payment_sent') {
        const k = toHex(e.paymentId);
        this.#waiting.get(k)?.();
        this.#waiting.delete(k);
      } else if (e.kind === 'payment_failed') throw new Error(`benchmark payment failed: ${e.reason}`);
    });
  }

  #pump(): void {
    if (this.#pumping !== undefined) return;
    this.#pumping = (async () => {
      while (this.#waiting.size > 0) {
        await this.pipe.step();
        await this.#handle();
      }
    })().finally(() => {
      this.#pumping = undefined;
      if (this.#waiting.size > 0) this.#pump();
    });
  }

  /** One BOLT 11 payment, resolved at payment_sent. */
  async pay(amountMsat: bigint): Promise<void> {
    const { invoice } = await this.payee.manager.createInvoice({ amountMsat, description: '' });
    const id = new Uint8Array(32);
    new DataView(id.buffer).setUint32(0, ++this.#counter);
    const sent = new Promise<void>((resolve) => this.#waiting.set(toHex(id), resolve));
    await this.payer.manager.payInvoice(invoice, id, NO_RETRY);
    this.#pump();
    await sent;
  }

  async run(count: number, inFlight: number): Promise<number> {
    const start = performance.now();
    let started = 0;
    const lane = async () => {
      while (started < count) {
        started++;
        await this.pay(1_000n);
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
    return performance.now() - start;
  }
}

async function rate(pair: Pair, inFlight: number): Promise<PeerRate> {
  await pair.run(10, inFlight);
  let count = 0;
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    const batch = inFlight * 5;
    elapsedMs += await pair.run(batch, inFlight);
    count += batch;
  }
  return { perSecond: (count * 1000) / elapsedMs, count, elapsedMs };
}

async function measured(run: () => Promise<PeerRate>): Promise<Measurement> {
  const rates: number[] = [];
  let n = 0;
  for (let r = 0; r < runs; r++) {
    const result = await run();
    rates.push(result.perSecond);
    n += result.count;
  }
  return { opsPerSec: rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n };
}

const backends: [string, Secp256k1Backend][] = [
  ['native secp256k1', createNativeSecp256k1Backend(native)],
  ['noble', nobleSecp256k1],
];
for (const inFlight of [1, 20]) {
  const mode = inFlight === 1 ? 'sequential' : '20 in flight';
  // A fresh LDK pair per mode, measured right before ours: an LDK node left idle
  // through a long run of ours can lose a JS object its bindings still call
  // ("Got function call on GC'd JS object", tools/ldk-node).
  const ldk = await createLdkPaymentPeer();
  let peer: Measurement;
  try {
    peer = await measured(() => ldkPaymentsPerSecond(ldk, { inFlight, minMs }));
  } finally {
    await ldk.close();
  }
  reportMeasurement('ln-ldk-node', `LDK-WASM payments/s (BOLT 11, ${mode})`, peer, 'payments/s');
  for (const [label, backend] of backends) {
    const pair = new Pair(backend);
    await pair.open(10_000_000n);
    const ours = await measured(() => rate(pair, inFlight));
    reportMeasurement('ln-channel', `payments/s (BOLT 11, ${mode}) [${label}]`, ours, 'payments/s', { name: `LDK-WASM (${mode})`, measurement: peer });
    for (const n of [pair.payer, pair.payee]) if (n.manager.internalErrors.length > 0) throw new Error(`internal errors: ${String(n.manager.internalErrors[0])}`);
  }
}
