/**
 * A simple container for many raw messages: each as u16 length then bytes
 * (a message is at most 65535 bytes). Lets a benchmark cache generated gossip.
 */
export function packMessages(messages: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const m of messages) total += 2 + m.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const m of messages) {
    out[at] = m.length >> 8;
    out[at + 1] = m.length & 0xff;
    out.set(m, at + 2);
    at += 2 + m.length;
  }
  return out;
}

/** Splits what {@link packMessages} made (views into `bytes`). Throws on a truncated container. */
export function unpackMessages(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new RangeError('truncated message container');
    const len = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + len > bytes.length) throw new RangeError('truncated message container');
    out.push(bytes.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  return out;
}
