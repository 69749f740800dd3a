// Each secp256k1 operation on each backend, with the ratio against noble (the default).
import * as tiny from 'tiny-secp256k1';
import native from 'secp256k1';
import { measure, reportMeasurement, type Measurement } from 'ln-bench';
import { createNativeSecp256k1Backend, createTinySecp256k1Backend, nobleSecp256k1, sha256, type Secp256k1Backend } from '../src/index.js';

const backends: Secp256k1Backend[] = [nobleSecp256k1, createTinySecp256k1Backend(tiny), createNativeSecp256k1Backend(native)];
const priv = sha256(Uint8Array.of(1));
const tweak = sha256(Uint8Array.of(2));
const hash = sha256(Uint8Array.of(3));
const pub = nobleSecp256k1.publicKeyCreate(priv);
const other = nobleSecp256k1.publicKeyCreate(tweak);
const sig = nobleSecp256k1.ecdsaSign(hash, priv);

const ops: Record<string, (b: Secp256k1Backend) => unknown> = {
  'ecdsa verify': (b) => b.ecdsaVerify(sig, hash, pub),
  'ecdsa sign': (b) => b.ecdsaSign(hash, priv),
  'ecdh (BOLT 8)': (b) => b.ecdh(priv, other),
  'pubkey tweak add (P + tG)': (b) => b.publicKeyTweakAdd(pub, tweak),
  'pubkey tweak mul (tP)': (b) => b.publicKeyTweakMul(pub, tweak),
  'pubkey create': (b) => b.publicKeyCreate(priv),
  'parse public key': (b) => b.isValidPublicKey(other),
};

for (const [name, op] of Object.entries(ops)) {
  let noble: Measurement | undefined;
  for (const b of backends) {
    const m = measure(() => op(b));
    if (b === nobleSecp256k1) {
      noble = m;
      reportMeasurement('ln-crypto', `${name} [${b.name}]`, m);
    } else {
      reportMeasurement('ln-crypto', `${name} [${b.name}]`, m, 'ops/s', { name: 'noble', measurement: noble! });
    }
  }
}
