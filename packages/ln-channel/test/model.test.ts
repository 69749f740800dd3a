// Model-based property test (fast-check commands): random interleavings of
// add / fulfill / fail / update_fee / partial delivery of commitment_signed and
// revoke_and_ack / disconnect / reconnect / restart / asynchronous monitor
// persistence on two ChannelManagers joined by an in-memory pipe. After every
// step both sides agree on each commitment the other has signed, balances add
// up to the channel value, no monitor update is skipped, and every
// commitment_signed and revoke_and_ack that leaves depends only on persisted
// monitor state. At the end, with everything delivered, both sides hold the
// same commitment and the balances equal the model's.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { toHex, type ChannelId } from 'ln-types';
import type { Message } from 'ln-wire';
import { decodeManager } from '../src/serialization/manager-codec.js';
import type { ChannelState, CommitmentSpec } from '../src/channel/types.js';
import { flipSpec, sameSpec } from '../src/channel/spec.js';
import type { TestNode } from './helpers/node.js';
import { ofKind, openChannel, pair, type Pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);
const RUNS = process.env.LN_LONG_TESTS === '1' ? 300 : Number(process.env.MODEL_RUNS ?? 12);
const STEPS = process.env.LN_LONG_TESTS === '1' ? 80 : 40;
const CAPACITY_MSAT = 2_000_000_000n;

interface Payment {
  readonly from: 'a' | 'b';
  readonly amountMsat: bigint;
  readonly hash: string;
  readonly preimage: Uint8Array;
  state: 'sent' | 'claimable' | 'claimed' | 'failed_back' | 'failed';
}

interface World {
  readonly p: Pair;
  channelId: ChannelId;
  readonly payments: Payment[];
  /** Violations of the gating rule seen in the pipe. */
  readonly gating: string[];
  /** Monitor updates completed on command (async persistence) for a node. */
  counter: number;
}

function stateOf(n: TestNode): ChannelState | undefined {
  return decodeManager(n.manager.write()).channels[0]?.state;
}

function node(w: World, tag: 'a' | 'b'): TestNode {
  return tag === 'a' ? w.p.a : w.p.b;
}

function total(spec: CommitmentSpec): bigint {
  return spec.toLocalMsat + spec.toRemoteMsat + spec.htlcs.reduce((s, h) => s + h.htlc.amountMsat, 0n);
}

/** Reads both nodes' events into the model. */
async function absorbEvents(w: World): Promise<void> {
  for (const tag of ['a', 'b'] as const) {
    for (const e of await node(w, tag).drainEvents()) {
      if (e.kind === 'payment_claimable') {
        const pay = w.payments.find((x) => x.hash === toHex(e.paymentHash));
        if (pay !== undefined && pay.state === 'sent') pay.state = 'claimable';
      } else if (e.kind === 'payment_failed') {
        const pay = w.payments.find((x) => x.hash === toHex(e.paymentHash!));
        if (pay !== undefined && pay.state !== 'claimed') pay.state = 'failed';
      }
    }
  }
}

async function settleAll(w: World): Promise<void> {
  await Promise.all([w.p.a.manager.idle(), w.p.b.manager.idle()]);
  await absorbEvents(w);
}

/** The invariants that hold after every step. */
function checkInvariants(w: World): void {
  const sa = stateOf(w.p.a);
  const sb = stateOf(w.p.b);
  expect(w.gating).toEqual([]);
  for (const n of [w.p.a, w.p.b]) {
    expect(n.watch.violations).toEqual([]);
    expect(n.manager.internalErrors).toEqual([]);
  }
  if (sa === undefined || sb === undefined) throw new Error('channel vanished');
  for (const [x, y] of [
    [sa, sb],
    [sb, sa],
  ] as const) {
    expect(total(x.localCommit.spec)).toBe(CAPACITY_MSAT);
    expect(total(x.remoteCommit.spec)).toBe(CAPACITY_MSAT);
    // Our current commitment was signed by the other side: it knows it as its current or next remote commitment.
    const theirs = [y.remoteCommit, ...(y.nextRemoteCommit ? [y.nextRemoteCommit] : [])].find((c) => c.number === x.localCommit.number);
    expect(theirs).toBeDefined();
    expect(sameSpec(x.localCommit.spec, flipSpec(theirs!.spec))).toBe(true);
  }
}

/** Checks the gating rule on a message as it leaves its sender. */
function gatingCheck(w: World): (from: TestNode, to: TestNode, m: Message) => void {
  return (from, _to, m) => {
    if (m.type !== 'commitment_signed' && m.type !== 'revoke_and_ack') return;
    const s = stateOf(from);
    const mon = [...from.watch.monitors.values()][0];
    if (s === undefined || mon === undefined) return;
    if (m.type === 'commitment_signed') {
      const n = s.nextRemoteCommit?.number;
      if (n === undefined || mon.persistedCounterparty < n) w.gating.push(`commitment_signed for ${n} left with counterparty commitment ${mon.persistedCounterparty} persisted`);
    } else if (mon.persistedHolder < s.localCommit.number) {
      w.gating.push(`revoke_and_ack left with holder commitment ${mon.persistedHolder} persisted, current ${s.localCommit.number}`);
    }
  };
}

type Cmd = fc.AsyncCommand<object, World>;

class PayCmd implements Cmd {
  constructor(
    readonly from: 'a' | 'b',
    readonly amountMsat: bigint,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    const from = node(w, this.from);
    const to = node(w, this.from === 'a' ? 'b' : 'a');
    const inv = to.manager.createInboundPayment({ amountMsat: this.amountMsat, expirySeconds: 3600 });
    const paymentId = new Uint8Array(32);
    new DataView(paymentId.buffer).setUint32(0, ++w.counter);
    try {
      from.manager.payDirect({ paymentId, payee: to.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: this.amountMsat, minFinalCltvExpiryDelta: 24 });
      w.payments.push({ from: this.from, amountMsat: this.amountMsat, hash: toHex(inv.paymentHash), preimage: inv.preimage!, state: 'sent' });
    } catch {
      // Refused up front (no usable channel, not enough balance): nothing moved.
    }
    await settleAll(w);
  }
  toString(): string {
    return `pay(${this.from}, ${this.amountMsat})`;
  }
}

class ResolveCmd implements Cmd {
  constructor(
    readonly index: number,
    readonly claim: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    const claimable = w.payments.filter((x) => x.state === 'claimable');
    const pay = claimable[this.index % Math.max(1, claimable.length)];
    if (pay === undefined) return;
    const receiver = node(w, pay.from === 'a' ? 'b' : 'a');
    if (this.claim) {
      receiver.manager.claimFunds(pay.preimage);
      pay.state = 'claimed';
    } else {
      receiver.manager.failHtlcBackwards(fromHex(pay.hash));
      pay.state = 'failed_back';
    }
    await settleAll(w);
  }
  toString(): string {
    return `${this.claim ? 'claim' : 'fail'}(${this.index})`;
  }
}

class FeeCmd implements Cmd {
  constructor(readonly feerate: number) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    try {
      w.p.a.manager.updateChannelFeerate(w.channelId, w.p.b.nodeId, this.feerate);
    } catch {
      // The channel may be gone from the API's view while disconnected: fine.
    }
    await settleAll(w);
  }
  toString(): string {
    return `fee(${this.feerate})`;
  }
}

class DeliverCmd implements Cmd {
  constructor(
    readonly from: 'a' | 'b',
    readonly count: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    await settleAll(w);
    w.p.pipe.pull();
    for (let i = 0; i < this.count; i++) {
      if (!w.p.pipe.deliverOne(this.from)) break;
      await settleAll(w);
      w.p.pipe.pull();
    }
    await settleAll(w);
  }
  toString(): string {
    return `deliver(${this.from}, ${this.count})`;
  }
}

class DisconnectCmd implements Cmd {
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    if (w.p.pipe.connected) w.p.pipe.disconnect();
    await settleAll(w);
  }
  toString(): string {
    return 'disconnect';
  }
}

class ReconnectCmd implements Cmd {
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    if (!w.p.pipe.connected) w.p.pipe.connect();
    await settleAll(w);
    // Exchange the channel_reestablish messages (what follows them stays in flight).
    w.p.pipe.pull();
    for (const tag of ['a', 'b'] as const) {
      while (w.p.pipe.inFlight[tag][0]?.type === 'channel_reestablish') {
        w.p.pipe.deliverOne(tag);
        await settleAll(w);
      }
    }
  }
  toString(): string {
    return 'reconnect';
  }
}

class RestartCmd implements Cmd {
  constructor(readonly who: 'a' | 'b') {}
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    await settleAll(w);
    const n = node(w, this.who);
    // The monitor store outlives the process; the manager comes back from its last write, taken
    // while still connected (a crash: the disconnection is never processed by the old manager).
    n.watch.completeAll();
    n.stored = n.manager.write();
    if (w.p.pipe.connected) w.p.pipe.disconnect();
    await settleAll(w);
    await n.restart();
    await settleAll(w);
  }
  toString(): string {
    return `restart(${this.who})`;
  }
}

class MonitorModeCmd implements Cmd {
  constructor(
    readonly who: 'a' | 'b',
    readonly async: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    const n = node(w, this.who);
    if (!this.async) n.watch.completeAll();
    n.watch.mode = this.async ? 'async' : 'sync';
    await settleAll(w);
  }
  toString(): string {
    return `monitor(${this.who}, ${this.async ? 'async' : 'sync'})`;
  }
}

class CompleteMonitorsCmd implements Cmd {
  check(): boolean {
    return true;
  }
  async run(_m: object, w: World): Promise<void> {
    w.p.a.watch.completeAll();
    w.p.b.watch.completeAll();
    await settleAll(w);
  }
  toString(): string {
    return 'complete-monitors';
  }
}

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
}

const side = fc.constantFrom<'a' | 'b'>('a', 'b');
const pay = fc.tuple(side, fc.bigInt(1_000n, 30_000_000n)).map(([f, a]) => new PayCmd(f, a) as Cmd);
const resolve = fc.tuple(fc.nat(10), fc.boolean()).map(([i, c]) => new ResolveCmd(i, c) as Cmd);
const deliver = fc.tuple(side, fc.integer({ min: 1, max: 6 })).map(([f, n]) => new DeliverCmd(f, n) as Cmd);
// Repeated entries weigh the draw towards payments and partial deliveries.
const commands = [
  pay,
  pay,
  pay,
  resolve,
  resolve,
  deliver,
  deliver,
  deliver,
  fc.integer({ min: 253, max: 8000 }).map((r) => new FeeCmd(r) as Cmd),
  fc.constant(new DisconnectCmd() as Cmd),
  fc.constant(new ReconnectCmd() as Cmd),
  side.map((s) => new RestartCmd(s) as Cmd),
  fc.tuple(side, fc.boolean()).map(([s, a]) => new MonitorModeCmd(s, a) as Cmd),
  fc.constant(new CompleteMonitorsCmd() as Cmd),
];

async function finish(w: World): Promise<void> {
  const p = w.p;
  p.a.watch.mode = 'sync';
  p.b.watch.mode = 'sync';
  for (let round = 0; round < 20; round++) {
    p.a.watch.completeAll();
    p.b.watch.completeAll();
    if (!p.pipe.connected) p.pipe.connect();
    await p.pipe.settle();
    await absorbEvents(w);
    // Resolve what is still claimable so the channel empties.
    for (const pay of w.payments.filter((x) => x.state === 'claimable')) {
      node(w, pay.from === 'a' ? 'b' : 'a').manager.claimFunds(pay.preimage);
      pay.state = 'claimed';
    }
    await p.pipe.settle();
    await absorbEvents(w);
    const sa = stateOf(p.a)!;
    if (sa.localCommit.spec.htlcs.length === 0 && sa.remoteCommit.spec.htlcs.length === 0 && sa.nextRemoteCommit === undefined && p.a.watch.pending === 0 && p.b.watch.pending === 0) break;
  }
}


describe('model-based: two managers over a pipe', () => {
  test(`random interleavings (${RUNS} runs of up to ${STEPS} steps)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: STEPS, size: 'max' }), fc.boolean(), async (cmds, anchors) => {
        const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1, negotiateAnchorsZeroFeeHtlcTx: anchors } });
        const p = pair({ a: { config, backend }, b: { config, backend } });
        const channelId = await openChannel(p, { valueSat: CAPACITY_MSAT / 1000n, pushMsat: CAPACITY_MSAT / 2n });
        const w: World = { p, channelId, payments: [], gating: [], counter: 0 };
        p.pipe.onSend = gatingCheck(w);
        await fc.asyncModelRun(
          () => ({ model: {}, real: w }),
          cmds,
        );
        checkInvariants(w);
        await finish(w);
        checkInvariants(w);
        const sa = stateOf(p.a)!;
        const sb = stateOf(p.b)!;
        // Everything delivered: both hold the same commitment, empty of HTLCs.
        expect(sa.localCommit.spec.htlcs).toHaveLength(0);
        expect(sameSpec(sa.localCommit.spec, flipSpec(sb.localCommit.spec))).toBe(true);
        // No msat appeared or vanished: the balances are the model's.
        let aBalance = CAPACITY_MSAT / 2n;
        for (const pay of w.payments) if (pay.state === 'claimed') aBalance += pay.from === 'a' ? -pay.amountMsat : pay.amountMsat;
        expect(sa.localCommit.spec.toLocalMsat).toBe(aBalance);
        if (process.env.MODEL_STATS === '1') console.log(cmds.toString().slice(0, 300), w.payments.map((x) => x.state).join(','));
        // Every claimed payment was reported sent exactly once.
        const sent = [...ofKind(p.a.events, 'payment_sent'), ...ofKind(p.b.events, 'payment_sent')].map((e) => toHex(e.paymentHash));
        expect(new Set(sent).size).toBe(sent.length);
        expect(sent.length).toBe(w.payments.filter((x) => x.state === 'claimed').length);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});

// Invariants are checked after every command too.
for (const C of [PayCmd, ResolveCmd, FeeCmd, DeliverCmd, DisconnectCmd, ReconnectCmd, RestartCmd, MonitorModeCmd, CompleteMonitorsCmd]) {
  const run = C.prototype.run;
  C.prototype.run = async function (this: Cmd, m: object, w: World) {
    await run.call(this, m, w);
    checkInvariants(w);
  } as typeof run;
}
