import { createRequire } from 'node:module';
import { createNativeSecp256k1Backend, createTinySecp256k1Backend, nobleSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import * as tiny from 'tiny-secp256k1';

/**
 * The fastest secp256k1 backend available for signing: native libsecp256k1
 * when its addon loads, else tiny-secp256k1 (WebAssembly), else noble.
 */
export function fastestBackend(): Secp256k1Backend {
  try {
    const native = createRequire(import.meta.url)('secp256k1/bindings') as Parameters<typeof createNativeSecp256k1Backend>[0];
    return createNativeSecp256k1Backend(native);
  } catch {
    try {
      return createTinySecp256k1Backend(tiny);
    } catch {
      return nobleSecp256k1;
    }
  }
}
