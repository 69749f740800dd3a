import * as ldk from 'lightningdevkit';
import { txidOfRaw } from 'ln-tx';
import { type Txid, txidToHex } from 'ln-types';

/** A transaction LDK asked to broadcast. */
export interface BroadcastTx {
  readonly txid: Txid;
  readonly raw: Uint8Array;
  /** Position in the node's broadcast log. */
  readonly seq: number;
}

/** Receives LDK's broadcasts: a package (parents first) in one call. */
export type BroadcastSink = (transactions: readonly Uint8Array[]) => void;

/**
 * LDK's BroadcasterInterface: every transaction is logged and handed to the
 * sinks (a test chain's mempool, a bitcoind RPC). A sink that throws does not
 * stop the others: LDK re-broadcasts what does not confirm.
 */
export class Broadcaster {
  readonly interface: ldk.BroadcasterInterface;
  readonly log: BroadcastTx[] = [];
  private readonly sinks = new Set<BroadcastSink>();
  /** Errors thrown by sinks (a chain refusing a transaction), newest last. */
  readonly errors: { txids: string[]; error: unknown }[] = [];

  constructor() {
    this.interface = ldk.BroadcasterInterface.new_impl({
      broadcast_transactions: (txs: Uint8Array[]) => {
        // Copy out of WASM memory before anything else runs.
        this.broadcast(txs.map((t) => t.slice()));
      },
    });
  }

  /** Adds a sink; returns its removal. */
  addSink(sink: BroadcastSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Logs and forwards transactions (also used by the wallet for its sweeps). */
  broadcast(txs: readonly Uint8Array[]): void {
    for (const raw of txs) this.log.push({ txid: txidOfRaw(raw), raw, seq: this.log.length });
    for (const sink of this.sinks) {
      try {
        sink(txs);
      } catch (error) {
        this.errors.push({ txids: txs.map((t) => txidToHex(txidOfRaw(t))), error });
      }
    }
  }
}
