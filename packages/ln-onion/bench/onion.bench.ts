// Sphinx costs: building 5- and 20-hop payment onions, peeling one layer, and
// decrypting (attributing) a failure sent by hop 20. On the default backend
// (noble, pure JS) and on the native libsecp256k1 binding through ln-crypto's seam.
import native from 'secp256k1';
import { measure, reportMeasurement } from 'ln-bench';
import { createNativeSecp256k1Backend, nobleSecp256k1, publicKeyFromPrivate, type Secp256k1Backend } from 'ln-crypto';
import { buildOnionPacket, createFailurePacket, decryptFailurePacket, encodeFailureMessage, encodeHopPayload, obfuscateFailure, peelOnionPacket } from '../src/index.js';
import { shortChannelId } from 'ln-types';

const key = (n: number) => {
  const k = new Uint8Array(32);
  k[0] = 0x22;
  k[31] = n + 1;
  return k;
};
const ad = new Uint8Array(32).fill(7);
const payload = encodeHopPayload({ amtToForward: 1_000_000n, outgoingCltvValue: 800_144, shortChannelId: shortChannelId(880_000n << 40n) });
const route = (n: number) => Array.from({ length: n }, (_, i) => ({ publicKey: publicKeyFromPrivate(key(i)), payload }));
const session = key(100);

const backends: [string, Secp256k1Backend][] = [
  ['noble', nobleSecp256k1],
  ['native secp256k1', createNativeSecp256k1Backend(native)],
];
for (const [label, backend] of backends) {
  for (const hops of [5, 20]) {
    const r = route(hops);
    reportMeasurement('ln-onion', `build ${hops}-hop onion [${label}]`, measure(() => buildOnionPacket(session, r, ad, { secp256k1: backend })));
  }
  const { packet } = buildOnionPacket(session, route(20), ad, { secp256k1: backend });
  const ecdh = (p: Uint8Array) => backend.ecdh(key(0), p);
  reportMeasurement('ln-onion', `peel one layer [${label}]`, measure(() => peelOnionPacket(packet, ad, ecdh, { secp256k1: backend })));
}

// Failure attribution is symmetric crypto only (no curve operations at the origin).
const { sharedSecrets } = buildOnionPacket(session, route(20), ad);
let failure = createFailurePacket(sharedSecrets[19]!, encodeFailureMessage({ name: 'incorrect_or_unknown_payment_details', htlcMsat: 1_000_000n, height: 880_000 }));
for (let i = 18; i >= 0; i--) failure = obfuscateFailure(sharedSecrets[i]!, failure);
reportMeasurement('ln-onion', 'decrypt a failure from hop 20 (20 hops)', measure(() => decryptFailurePacket(sharedSecrets, failure)));
