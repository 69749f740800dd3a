import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Blocks on disk: one append-only file of length-prefixed serialized blocks
 * (u32 little-endian length, then the block), in the order the chain received
 * them, so parents come before children. Each append is flushed before the
 * block is used. A torn last record (a crash mid-write) is cut off on open.
 */
export class BlockFile {
  readonly path: string;
  #fd: number | undefined;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'blocks.dat');
  }

  /** Every complete block in the file, oldest first; truncates a torn tail. */
  readAll(): Uint8Array[] {
    if (!existsSync(this.path)) return [];
    const bytes = new Uint8Array(readFileSync(this.path));
    const blocks: Uint8Array[] = [];
    let at = 0;
    while (at + 4 <= bytes.length) {
      const length = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
      if (length <= 0 || at + 4 + length > bytes.length) break;
      blocks.push(bytes.slice(at + 4, at + 4 + length));
      at += 4 + length;
    }
    if (at !== bytes.length) {
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, at);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    return blocks;
  }

  /** Appends a block and flushes it to disk. */
  append(block: Uint8Array): void {
    this.#fd ??= openSync(this.path, 'a');
    const record = new Uint8Array(4 + block.length);
    new DataView(record.buffer).setUint32(0, block.length, true);
    record.set(block, 4);
    let written = 0;
    while (written < record.length) written += writeSync(this.#fd, record, written);
    fdatasyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
