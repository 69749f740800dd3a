import type { SignatureBackend, SignatureBackendName } from './backend.js';
import { bitcoreBackend, bitcoreLegacyBackend } from './bitcore-backend.js';
import { nativeBackend, wasmBackend } from './libsecp256k1.js';

// Best first; bitcore's two are always there.
const AVAILABLE: readonly SignatureBackend[] = [nativeBackend(bitcoreBackend.schnorr), wasmBackend(bitcoreBackend.schnorr), bitcoreBackend, bitcoreLegacyBackend].filter(
  (b): b is SignatureBackend => b !== undefined,
);

/** The signature backends that loaded in this process, fastest first (`bitcore` and `bitcore-legacy` always last). */
export function signatureBackends(): readonly SignatureBackendName[] {
  return AVAILABLE.map((b) => b.name);
}

/** The backend used when none is named: libsecp256k1 when either build of it loaded, else bitcore's. */
export function defaultSignatureBackend(): SignatureBackendName {
  return AVAILABLE[0]!.name;
}

/** The backend of that name, or undefined when it did not load. */
export function signatureBackend(name: SignatureBackendName = defaultSignatureBackend()): SignatureBackend | undefined {
  return AVAILABLE.find((b) => b.name === name);
}
