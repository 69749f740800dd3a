import type { Duplex } from 'node:stream';
import {
  type ChannelMonitorUpdate,
  type ChannelMonitorUpdateStatus,
  type MonitorEvent,
  type NewChannelMonitor,
  type Watch,
  type WatchChannelStatus,
  decodeMonitorEvent,
  encodeChannelMonitorUpdate,
  encodeNewChannelMonitor,
} from 'ln-chain-api';
import { type ChannelId, type Logger, type NodeId, isLogEnabled, silentLogger, toHex } from 'ln-types';
import { EventNotifier } from '../notifier.js';
import { FRAME, FrameDecoder, decodeAck, encodeFrame } from './framing.js';

// The node's side of a watchtower link (Node only): a Watch that ships every
// monitor and update to a tower over a byte stream and answers `in_progress`
// until the tower acknowledges it stored it; ChannelManager then hears
// `update_completed`. Unacknowledged frames are sent again on reconnection, in
// order (the tower acknowledges repeats without applying them twice).

interface Pending {
  readonly channel: string;
  readonly updateId: bigint;
  readonly frame: Uint8Array;
}

export class WatchtowerClient implements Watch {
  private link: Duplex | undefined;
  private decoder = new FrameDecoder();
  private readonly pending: Pending[] = [];
  private readonly events: MonitorEvent[] = [];
  private readonly counterparties = new Map<string, NodeId>();
  private readonly logger: Logger;
  /** Wakes the node when events from the tower are waiting. */
  readonly notifier = new EventNotifier();
  /** The tower's last refusal (the channel stays paused: its update is not stored anywhere). */
  lastRefusal: { channelId: Uint8Array; updateId: bigint; reason: string } | undefined;

  constructor(options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Uses `link` (a connected socket) from now on and sends what the tower has not acknowledged. */
  connect(link: Duplex): void {
    this.disconnect();
    this.link = link;
    this.decoder = new FrameDecoder();
    link.on('data', (chunk: Uint8Array) => this.receive(chunk));
    link.on('close', () => {
      if (this.link === link) this.link = undefined;
    });
    link.on('error', (err: Error) => this.log('warn', 'watchtower link error', { error: err.message }));
    for (const p of this.pending) link.write(p.frame);
  }

  /** Stops using the current link (frames not acknowledged stay queued). */
  disconnect(): void {
    const link = this.link;
    this.link = undefined;
    link?.removeAllListeners('data');
    link?.destroy();
  }

  /** Updates (and new monitors) sent but not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.length;
  }

  private log(level: 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    if (isLogEnabled(this.logger, level)) this.logger.log({ level, module: 'ln-monitor/watchtower-client', message, ...(fields === undefined ? {} : { fields }) });
  }

  private send(channel: string, updateId: bigint, frame: Uint8Array): void {
    this.pending.push({ channel, updateId, frame });
    this.link?.write(frame);
  }

  watchChannel(monitor: NewChannelMonitor): WatchChannelStatus {
    const channel = toHex(monitor.channelId);
    if (this.counterparties.has(channel)) return 'duplicate';
    this.counterparties.set(channel, monitor.counterpartyNodeId);
    this.send(channel, 0n, encodeFrame(FRAME.watch, encodeNewChannelMonitor(monitor)));
    return 'in_progress';
  }

  updateChannel(update: ChannelMonitorUpdate): ChannelMonitorUpdateStatus {
    const channel = toHex(update.channelId);
    if (!this.counterparties.has(channel)) return 'unrecoverable_error';
    this.send(channel, update.updateId, encodeFrame(FRAME.update, encodeChannelMonitorUpdate(update)));
    return 'in_progress';
  }

  releasePendingMonitorEvents(): MonitorEvent[] {
    return this.events.splice(0);
  }

  private receive(chunk: Uint8Array): void {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.log('warn', 'bad frame from the tower; dropping the link', { error: String(err) });
      this.disconnect();
      return;
    }
    for (const f of frames) {
      try {
        this.handle(f.type, f.payload);
      } catch (err) {
        this.log('warn', 'bad message from the tower', { error: String(err) });
      }
    }
  }

  private handle(type: number, payload: Uint8Array): void {
    if (type === FRAME.ack || type === FRAME.refused) {
      const { channelId, updateId, reason } = decodeAck(payload);
      const channel = toHex(channelId);
      const counterparty = this.counterparties.get(channel);
      if (counterparty === undefined) return;
      for (let i = this.pending.length - 1; i >= 0; i--) {
        const p = this.pending[i]!;
        if (p.channel === channel && p.updateId <= updateId) this.pending.splice(i, 1);
      }
      if (type === FRAME.refused) {
        this.lastRefusal = { channelId, updateId, reason };
        this.log('warn', 'the watchtower refused an update', { updateId: String(updateId), reason });
        return;
      }
      this.events.push({ kind: 'update_completed', channelId: channelId as ChannelId, counterpartyNodeId: counterparty, updateId });
      this.notifier.notify();
      return;
    }
    if (type === FRAME.event) {
      this.events.push(decodeMonitorEvent(payload));
      this.notifier.notify();
    }
  }
}
