// Two ChannelManagers joined by an in-memory pipe: messages are encoded and
// decoded with ln-wire on the way (so every message crosses the real codecs),
// delivered in order, and the pipe can be cut and restored.
import { decodeMessage, encodeMessage, type Message } from 'ln-wire';
import { isChannelMessage } from 'ln-peer-api';
import { toHex } from 'ln-types';
import type { TestNode } from './node.js';

export interface Delivered {
  readonly from: 'a' | 'b';
  readonly message: Message;
}

export class Pipe {
  connected = false;
  readonly log: Delivered[] = [];
  /** Called for every message taken from a sender, before delivery (checks of the gating rule). */
  onSend: ((from: TestNode, to: TestNode, m: Message) => void) | undefined;
  /** Messages the peer sent that were dropped because the pipe was cut. */
  dropped = 0;

  constructor(
    readonly a: TestNode,
    readonly b: TestNode,
  ) {}

  connect(): void {
    this.connected = true;
    const init = (n: TestNode, other: TestNode) => ({ features: other.manager.provideInitFeatures(n.nodeId) });
    this.a.manager.peerConnected(this.b.nodeId, init(this.a, this.b), false);
    this.b.manager.peerConnected(this.a.nodeId, init(this.b, this.a), true);
  }

  disconnect(): void {
    this.connected = false;
    this.inFlight.a = [];
    this.inFlight.b = [];
    this.a.manager.peerDisconnected(this.b.nodeId);
    this.b.manager.peerDisconnected(this.a.nodeId);
  }

  /** Messages taken from a sender and not yet delivered (a network in flight). */
  readonly inFlight: { a: Message[]; b: Message[] } = { a: [], b: [] };

  /** Takes what both managers want to send into the in-flight queues. */
  pull(): void {
    for (const [from, to, tag] of [
      [this.a, this.b, 'a'],
      [this.b, this.a, 'b'],
    ] as const) {
      for (const e of from.manager.getAndClearPendingMsgEvents()) {
        if (e.kind !== 'send' && e.kind !== 'disconnect') continue;
        if (toHex(e.nodeId) !== toHex(to.nodeId)) continue;
        if (e.kind === 'disconnect') {
          if (this.connected) this.disconnect();
          continue;
        }
        if (!this.connected) {
          this.dropped++;
          continue;
        }
        const m = decodeMessage(encodeMessage(e.message)) as Message;
        this.onSend?.(from, to, m);
        this.inFlight[tag].push(m);
      }
    }
  }

  /** Delivers the oldest in-flight message of one direction; false when there is none. */
  deliverOne(fromTag: 'a' | 'b'): boolean {
    const m = this.inFlight[fromTag].shift();
    if (m === undefined) return false;
    const [from, to] = fromTag === 'a' ? [this.a, this.b] : [this.b, this.a];
    this.log.push({ from: fromTag, message: m });
    if (m.type === 'error') to.manager.handleError(from.nodeId, m);
    else if (m.type !== 'warning' && isChannelMessage(m)) to.manager.handleMessage(from.nodeId, m);
    return true;
  }

  /** Moves one round of messages each way; returns how many moved. */
  async step(): Promise<number> {
    // (Some tests join bare managers, without the TestNode around them.)
    await Promise.all([this.a.flushMonitors?.(), this.b.flushMonitors?.()]);
    await Promise.all([this.a.manager.idle(), this.b.manager.idle()]);
    this.pull();
    let moved = 0;
    for (const tag of ['a', 'b'] as const) while (this.deliverOne(tag)) moved++;
    return moved;
  }

  /** Delivers messages until both sides are quiet. */
  async settle(maxRounds = 1000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const moved = await this.step();
      if (moved === 0 && this.a.manager.pendingTasks === 0 && this.b.manager.pendingTasks === 0) {
        // One more look: a task may have queued messages after the last take.
        if ((await this.step()) === 0) return;
      }
    }
    throw new Error('pipe did not settle');
  }

  /** Messages of a type delivered so far. */
  sent(type: Message['type'], from?: 'a' | 'b'): Message[] {
    return this.log.filter((d) => d.message.type === type && (from === undefined || d.from === from)).map((d) => d.message);
  }
}
