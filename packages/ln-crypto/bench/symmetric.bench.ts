// Hashes and AEAD on Node's OpenSSL against noble (ratio = node / noble).
import { measure, reportMeasurement } from 'ln-bench';
import { nobleSymmetric, nodeSymmetric } from '../src/index.js';

const node = nodeSymmetric!;
const key = new Uint8Array(32).fill(1);
const nonce = new Uint8Array(12);
const empty = new Uint8Array(0);
for (const size of [64, 1024, 65535]) {
  const data = new Uint8Array(size).fill(7);
  const sealed = node.chacha20Poly1305Seal(key, nonce, data, empty);
  const cases: [string, (b: typeof node) => unknown][] = [
    [`sha256 ${size} B`, (b) => b.sha256(data)],
    [`chacha20-poly1305 seal ${size} B`, (b) => b.chacha20Poly1305Seal(key, nonce, data, empty)],
    [`chacha20-poly1305 open ${size} B`, (b) => b.chacha20Poly1305Open(key, nonce, sealed, empty)],
  ];
  for (const [name, op] of cases) {
    const peer = measure(() => op(nobleSymmetric));
    const ours = measure(() => op(node));
    reportMeasurement('ln-crypto', `${name} [node]`, ours, 'ops/s', { name: 'noble', measurement: peer });
  }
}
