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
    this.a.manager.peerDisconnected(this.b.nodeId);
    this.b.manager.peerDisconnected(this.a.nodeId);
  }

  /** Moves one round of messages each way; returns how many moved. */
  async step(): Promise<number> {
    await Promise.all([this.a.manager.idle(), this.b.manager.idle()]);
    let moved = 0;
    for (const [from, to, tag] of [
      [this.a, this.b, 'a'],
      [this.b, this.a, 'b'],
    ] as const) {
      const events = from.manager.getAndClearPendingMsgEvents();
      for (const e of events) {
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
        this.log.push({ from: tag, message: m });
        moved++;
        if (m.type === 'error') to.manager.handleError(from.nodeId, m);
        else if (m.type === 'warning') continue;
        else if (isChannelMessage(m)) to.manager.handleMessage(from.nodeId, m);
      }
    }
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
