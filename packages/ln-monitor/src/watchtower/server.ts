import type { Duplex } from 'node:stream';
import { type MonitorEvent, decodeChannelMonitorUpdate, decodeNewChannelMonitor, encodeMonitorEvent } from 'ln-chain-api';
import { type ChannelId, type Logger, isLogEnabled, silentLogger, toHex } from 'ln-types';
import type { ChainMonitor } from '../chain-monitor/chain-monitor.js';
import { FRAME, FrameDecoder, encodeAck, encodeFrame } from './framing.js';

// The tower's side (Node only): a ChainMonitor fed by a node over a byte stream.
// It applies and persists what the node sends, acknowledges once stored, and
// forwards the monitors' events. The ChainMonitor watches the chain as any other
// (the tower host feeds it blocks and gives it a broadcaster), so it punishes a
// cheater while the node is offline.

export class WatchtowerServer {
  private readonly chainMonitor: ChainMonitor;
  private readonly logger: Logger;
  private link: Duplex | undefined;
  /** Frames for the node while it is not connected. */
  private readonly outbox: Uint8Array[] = [];
  /** Acknowledgements that wait for a write still running (channel hex → highest id asked). */
  private readonly waiting = new Map<string, bigint>();

  constructor(chainMonitor: ChainMonitor, options: { logger?: Logger } = {}) {
    this.chainMonitor = chainMonitor;
    this.logger = options.logger ?? silentLogger;
    chainMonitor.notifier.subscribe(() => this.flush());
  }

  private log(level: 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    if (isLogEnabled(this.logger, level)) this.logger.log({ level, module: 'ln-monitor/watchtower-server', message, ...(fields === undefined ? {} : { fields }) });
  }

  /** Serves the node connected on `link` (replacing an earlier link). */
  serve(link: Duplex): void {
    this.link?.destroy();
    this.link = link;
    const decoder = new FrameDecoder();
    link.on('data', (chunk: Uint8Array) => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.log('warn', 'bad frame from the node; dropping the link', { error: String(err) });
        link.destroy();
        return;
      }
      for (const f of frames) this.handle(f.type, f.payload);
      this.flush();
    });
    link.on('close', () => {
      if (this.link === link) this.link = undefined;
    });
    link.on('error', () => undefined);
    for (const frame of this.outbox.splice(0)) link.write(frame);
  }

  private send(frame: Uint8Array): void {
    if (this.link === undefined || this.link.destroyed) this.outbox.push(frame);
    else this.link.write(frame);
  }

  private handle(type: number, payload: Uint8Array): void {
    const cm = this.chainMonitor;
    try {
      if (type === FRAME.watch) {
        const monitor = decodeNewChannelMonitor(payload);
        const status = cm.watchChannel(monitor);
        this.answer(monitor.channelId, 0n, status === 'duplicate' ? 'repeat' : status);
      } else if (type === FRAME.update) {
        const update = decodeChannelMonitorUpdate(payload);
        const existing = cm.getMonitor(update.channelId);
        if (existing !== undefined && update.updateId <= existing.latestUpdateId) {
          this.answer(update.channelId, update.updateId, 'repeat');
          return;
        }
        this.answer(update.channelId, update.updateId, cm.updateChannel(update));
      }
    } catch (err) {
      this.log('warn', 'undecodable frame from the node', { error: String(err) });
    }
  }

  private answer(channelId: ChannelId, updateId: bigint, status: 'completed' | 'in_progress' | 'unrecoverable_error' | 'repeat'): void {
    const key = toHex(channelId);
    if (status === 'unrecoverable_error') {
      this.send(encodeFrame(FRAME.refused, encodeAck(channelId, updateId, this.chainMonitor.lastError?.message ?? 'refused')));
    } else if (status === 'completed' || (status === 'repeat' && !this.chainMonitor.hasPendingUpdates(channelId))) {
      this.send(encodeFrame(FRAME.ack, encodeAck(channelId, this.chainMonitor.getMonitor(channelId)?.latestUpdateId ?? updateId)));
    } else {
      const prev = this.waiting.get(key);
      if (prev === undefined || updateId > prev) this.waiting.set(key, updateId);
    }
  }

  /** Sends acknowledgements for completed writes and the monitors' events. */
  flush(): void {
    const events: MonitorEvent[] = this.chainMonitor.releasePendingMonitorEvents();
    for (const e of events) {
      if (e.kind === 'update_completed') {
        this.waiting.delete(toHex(e.channelId));
        this.send(encodeFrame(FRAME.ack, encodeAck(e.channelId, e.updateId)));
      } else {
        this.send(encodeFrame(FRAME.event, encodeMonitorEvent(e)));
      }
    }
  }
}
