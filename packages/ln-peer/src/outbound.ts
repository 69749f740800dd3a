import type { SocketDescriptor } from './socket.js';

/**
 * Encrypted frames waiting to be written to one socket, with the count of
 * bytes they hold (the figure every buffering bound is checked against).
 */
export class OutboundQueue {
  private frames: Uint8Array[] = [];
  private head = 0; // bytes of frames[0] already written
  private total = 0;
  /** True after the socket took less than offered, until `writeBufferSpaceAvail`. */
  blocked = false;

  get bytes(): number {
    return this.total;
  }

  push(frame: Uint8Array): void {
    this.frames.push(frame);
    this.total += frame.length;
  }

  /**
   * Writes frames until the socket takes less than offered (then `blocked`).
   * `resumeRead` is passed with the first write only.
   */
  flush(descriptor: SocketDescriptor, resumeRead: boolean): void {
    let resume = resumeRead;
    while (!this.blocked && this.frames.length > 0) {
      const frame = this.frames[0]!;
      const rest = this.head === 0 ? frame : frame.subarray(this.head);
      const taken = descriptor.sendData(rest, resume);
      resume = false;
      this.total -= taken;
      if (taken < rest.length) {
        this.head += taken;
        this.blocked = true;
        return;
      }
      this.frames.shift();
      this.head = 0;
    }
    // Nothing to write, but the socket must still hear that reading may resume.
    if (resume) descriptor.sendData(new Uint8Array(0), true);
  }

  clear(): void {
    this.frames = [];
    this.head = 0;
    this.total = 0;
  }
}
