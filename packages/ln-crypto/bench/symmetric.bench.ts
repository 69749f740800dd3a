// Hashes and AEAD on Node's OpenSSL against noble (ratio = node / noble).
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { measure, reportMeasurement } from 'ln-bench';
import { nobleSymmetric, nodeSymmetric, prepareChaCha20Poly1305Key } from '../src/index.js';

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

// The prepared key (what the BOLT 8 transport uses): seal+open per message,
// against node:crypto called directly and against noble (ratio = ours / peer).
const direct = (size: number) => {
  const crypto = process.getBuiltinModule('node:crypto');
  const secret = crypto.createSecretKey(key);
  const data = new Uint8Array(size).fill(7);
  return () => {
    const c = crypto.createCipheriv('chacha20-poly1305', secret, nonce, { authTagLength: 16 });
    const body = c.update(data);
    c.final();
    const d = crypto.createDecipheriv('chacha20-poly1305', secret, nonce, { authTagLength: 16 });
    d.setAuthTag(c.getAuthTag());
    d.update(body);
    d.final();
  };
};
for (const size of [2, 100, 384, 1024, 65535]) {
  const data = new Uint8Array(size).fill(7);
  const prepared = prepareChaCha20Poly1305Key(key);
  const frame = new Uint8Array(size + 16);
  const ours = measure(() => {
    prepared.sealInto(nonce, data, frame, 0);
    prepared.open(nonce, frame);
  });
  const viaNode = measure(direct(size));
  const viaNoble = measure(() => chacha20poly1305(key, nonce).decrypt(chacha20poly1305(key, nonce).encrypt(data)));
  reportMeasurement('ln-crypto', `prepared chacha20-poly1305 seal+open ${size} B vs node:crypto`, ours, 'ops/s', { name: 'node:crypto direct', measurement: viaNode });
  reportMeasurement('ln-crypto', `prepared chacha20-poly1305 seal+open ${size} B vs noble`, ours, 'ops/s', { name: 'noble', measurement: viaNoble });
}
