// The transport's hot path: each message is two AEAD seals (length, body) on
// send and two opens on receive. ln-crypto's SymmetricBackend returns a fresh
// array per call; here the sender seals both parts straight into one
// preallocated frame. With ln-crypto's `nodeSymmetric` a private fast path
// talks to Node's cipher objects directly (no setAAD for the empty AAD, no
// intermediate copies). See docs/notes-noise-peer.md: this belongs in
// ln-crypto as a `sealInto`/`openInPlace` extension of SymmetricBackend.
import type * as NodeCrypto from 'node:crypto';
import { CryptoError, nodeSymmetric, type SymmetricBackend } from 'ln-crypto';
import { MAC_LENGTH } from './constants.js';

const EMPTY = new Uint8Array(0);

/** Seal into a frame, open to a fresh plaintext (or `undefined` on a bad tag). */
export interface TransportAead {
  /** The key in the form this implementation works fastest with (done once per key rotation). */
  prepareKey(key: Uint8Array): PreparedKey;
  sealInto(key: PreparedKey, nonce: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number): void;
  open(key: PreparedKey, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
}

/** A key as {@link TransportAead.prepareKey} returned it (opaque). */
export type PreparedKey = Uint8Array | NodeCrypto.KeyObject;

/** The fastest implementation for `symmetric`: the Node fast path for ln-crypto's node backend, else the generic one. */
export function transportAead(symmetric: SymmetricBackend): TransportAead {
  if (symmetric === nodeSymmetric) {
    const crypto = nodeCrypto();
    if (crypto !== undefined) return nodeAead(crypto);
  }
  return genericAead(symmetric);
}

function genericAead(symmetric: SymmetricBackend): TransportAead {
  return {
    prepareKey: (key) => key,
    sealInto(key, nonce, plaintext, out, offset) {
      out.set(symmetric.chacha20Poly1305Seal(key as Uint8Array, nonce, plaintext, EMPTY), offset);
    },
    open(key, nonce, sealed) {
      try {
        return symmetric.chacha20Poly1305Open(key as Uint8Array, nonce, sealed, EMPTY);
      } catch (err) {
        if (err instanceof CryptoError && err.code === 'bad_mac') return undefined;
        throw err;
      }
    },
  };
}

function nodeAead(crypto: typeof NodeCrypto): TransportAead {
  const options = { authTagLength: MAC_LENGTH } as const;
  return {
    // A KeyObject skips re-validating and copying the raw key on every operation.
    prepareKey: (key) => crypto.createSecretKey(key),
    sealInto(key, nonce, plaintext, out, offset) {
      const cipher = crypto.createCipheriv('chacha20-poly1305', key, nonce, options);
      out.set(cipher.update(plaintext), offset);
      cipher.final();
      out.set(cipher.getAuthTag(), offset + plaintext.length);
    },
    open(key, nonce, sealed) {
      if (sealed.length < MAC_LENGTH) return undefined;
      const bodyLength = sealed.length - MAC_LENGTH;
      const decipher = crypto.createDecipheriv('chacha20-poly1305', key, nonce, options);
      decipher.setAuthTag(sealed.subarray(bodyLength));
      const plain = decipher.update(sealed.subarray(0, bodyLength));
      try {
        decipher.final();
      } catch {
        return undefined;
      }
      // A plain Uint8Array view over the Buffer's memory: no Buffer escapes.
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    },
  };
}

// Found without a static `node:` import so the package stays browser-clean.
function nodeCrypto(): typeof NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  return proc.getBuiltinModule('node:crypto') as typeof NodeCrypto | undefined;
}
