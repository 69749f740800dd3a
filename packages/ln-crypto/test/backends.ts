// The secp256k1 backends every cross-backend test runs over.
import * as tiny from 'tiny-secp256k1';
import native from 'secp256k1';
import { createNativeSecp256k1Backend, createTinySecp256k1Backend, nobleSecp256k1, type Secp256k1Backend } from '../src/index.js';

export const tinyBackend = createTinySecp256k1Backend(tiny);
export const nativeBackend = createNativeSecp256k1Backend(native);
export const acceleratedBackends: Secp256k1Backend[] = [tinyBackend, nativeBackend];
export const allBackends: Secp256k1Backend[] = [nobleSecp256k1, ...acceleratedBackends];
