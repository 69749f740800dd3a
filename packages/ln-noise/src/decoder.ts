import { LENGTH_HEADER_LENGTH, MAC_LENGTH } from './constants.js';
import { ByteQueue } from './byte-queue.js';
import type { NoiseTransport } from './transport.js';

/**
 * Turns a byte stream cut into arbitrary chunks (one byte at a time, many
 * messages at once, a header split across reads) into whole decrypted
 * messages. It holds at most one partial message (at most 65535 + 34 bytes).
 *
 * A failure (a tag that does not authenticate) throws the transport's
 * `NoiseError` and every later call throws `invalid_state`.
 */
export class NoiseDecoder {
  private readonly queue = new ByteQueue();
  // The length of the body being waited for, once its header is decrypted.
  private pendingBodyLength = -1;

  constructor(private readonly transport: NoiseTransport) {}

  /** Bytes received but not yet part of a whole message. */
  get buffered(): number {
    return this.queue.length;
  }

  /**
   * Adds received bytes and returns the messages they complete, in order.
   * The chunk is not retained after the call returns.
   * @throws NoiseError `bad_length_mac`, `bad_message_mac`, `invalid_state`
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    this.pushInto(chunk, out);
    return out;
  }

  /** {@link push} appending to a caller's array (saves an allocation per read on hot paths). */
  pushInto(chunk: Uint8Array, out: Uint8Array[]): void {
    if (this.transport.failed) {
      // Let the transport raise its refusal.
      this.transport.decryptLength(new Uint8Array(LENGTH_HEADER_LENGTH));
    }
    this.queue.push(chunk);
    try {
      for (;;) {
        if (this.pendingBodyLength < 0) {
          if (this.queue.length < LENGTH_HEADER_LENGTH) break;
          this.pendingBodyLength = this.transport.decryptLength(this.queue.take(LENGTH_HEADER_LENGTH));
        }
        const needed = this.pendingBodyLength + MAC_LENGTH;
        if (this.queue.length < needed) break;
        out.push(this.transport.decryptMessage(this.queue.take(needed)));
        this.pendingBodyLength = -1;
      }
    } catch (err) {
      this.queue.clear();
      throw err;
    }
    this.queue.detach();
  }
}
