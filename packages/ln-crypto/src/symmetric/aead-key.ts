import type * as NodeCrypto from 'node:crypto';
import { CryptoError } from '../errors.js';
import { asUint8Array, nodeCryptoModule } from '../node-builtin.js';
import type { SymmetricBackend } from './backend.js';
import { checkAeadKey, checkAeadNonce } from './checks.js';
import { defaultSymmetric } from './default.js';
import { expandKey } from './js/chacha20-block.js';
import { openJs, sealIntoJs } from './js/chacha20-poly1305.js';
import { nodeSymmetric } from './node.js';

/**
 * Messages up to this many bytes are sealed and opened by the built-in
 * JavaScript ChaCha20-Poly1305; larger ones by the backend (OpenSSL through
 * node:crypto, or noble). Measured crossover on Node 20 against OpenSSL: about 450 bytes.
 */
export const SMALL_AEAD_MAX = 384;

const TAG_LENGTH = 16;
const NO_AAD = new Uint8Array(0);

/**
 * A ChaCha20-Poly1305 key prepared once for many messages (RFC 8439), as a
 * transport direction uses one between key rotations. Small messages take a
 * zero-allocation JavaScript path; large ones the backend's implementation.
 * Both give the bytes RFC 8439 defines.
 */
export interface ChaCha20Poly1305Key {
  /**
   * Writes ciphertext then the 16-byte tag (`plaintext.length + 16` bytes) into `out` at `offset`.
   * @throws CryptoError `invalid_length` for a nonce that is not 12 bytes or an `out` too short
   */
  sealInto(nonce: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number, aad?: Uint8Array): void;
  /** Ciphertext followed by its tag, in a new array. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** The plaintext of ciphertext-then-tag, or `undefined` when the tag does not authenticate. */
  open(nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | undefined;
}

/**
 * Prepares `key` (32 bytes) for sealing and opening many messages.
 * `backend` handles messages above {@link SMALL_AEAD_MAX} bytes (default: Node's OpenSSL where present, else noble).
 * @throws CryptoError `invalid_length` for a key that is not 32 bytes
 */
export function prepareChaCha20Poly1305Key(key: Uint8Array, backend: SymmetricBackend = defaultSymmetric): ChaCha20Poly1305Key {
  checkAeadKey(key);
  const words = expandKey(key);
  // Made on first use: a handshake's keys only ever see small messages.
  let largeAead: LargeAead | undefined;
  const ownKey = key.slice(); // the caller may reuse its array
  const large = (): LargeAead => (largeAead ??= backend === nodeSymmetric ? nodeLargeAead(ownKey) : genericLargeAead(backend, ownKey));
  const sealInto = (nonce: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number, aad: Uint8Array = NO_AAD): void => {
    checkAeadNonce(nonce);
    if (!Number.isInteger(offset) || offset < 0 || out.length - offset < plaintext.length + TAG_LENGTH) {
      throw new CryptoError('invalid_length', `${plaintext.length + TAG_LENGTH} bytes do not fit at offset ${offset} of ${out.length}`);
    }
    if (plaintext.length <= SMALL_AEAD_MAX) sealIntoJs(words, nonce, plaintext, aad, out, offset);
    else large().sealInto(nonce, plaintext, aad, out, offset);
  };
  return {
    sealInto,
    seal(nonce, plaintext, aad) {
      const out = new Uint8Array(plaintext.length + TAG_LENGTH);
      sealInto(nonce, plaintext, out, 0, aad);
      return out;
    },
    open(nonce, sealed, aad = NO_AAD) {
      checkAeadNonce(nonce);
      if (sealed.length < TAG_LENGTH) return undefined;
      return sealed.length - TAG_LENGTH <= SMALL_AEAD_MAX ? openJs(words, nonce, sealed, aad) : large().open(nonce, sealed, aad);
    },
  };
}

interface LargeAead {
  sealInto(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number): void;
  open(nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined;
}

function genericLargeAead(backend: SymmetricBackend, key: Uint8Array): LargeAead {
  return {
    sealInto: (nonce, plaintext, aad, out, offset) => out.set(backend.chacha20Poly1305Seal(key, nonce, plaintext, aad), offset),
    open(nonce, sealed, aad) {
      try {
        return backend.chacha20Poly1305Open(key, nonce, sealed, aad);
      } catch (err) {
        if (err instanceof CryptoError && err.code === 'bad_mac') return undefined;
        throw err;
      }
    },
  };
}

// Straight to Node's cipher objects: a KeyObject made once, no setAAD call for
// an empty AAD, ciphertext and tag written into the caller's frame.
function nodeLargeAead(key: Uint8Array): LargeAead {
  const crypto = nodeCryptoModule() as typeof NodeCrypto;
  const secret = crypto.createSecretKey(key);
  const options = { authTagLength: TAG_LENGTH } as const;
  return {
    sealInto(nonce, plaintext, aad, out, offset) {
      const cipher = crypto.createCipheriv('chacha20-poly1305', secret, nonce, options);
      if (aad.length > 0) cipher.setAAD(aad, { plaintextLength: plaintext.length });
      out.set(cipher.update(plaintext), offset);
      cipher.final();
      out.set(cipher.getAuthTag(), offset + plaintext.length);
    },
    open(nonce, sealed, aad) {
      const length = sealed.length - TAG_LENGTH;
      const decipher = crypto.createDecipheriv('chacha20-poly1305', secret, nonce, options);
      if (aad.length > 0) decipher.setAAD(aad, { plaintextLength: length });
      decipher.setAuthTag(sealed.subarray(length));
      const plaintext = decipher.update(sealed.subarray(0, length));
      try {
        decipher.final();
      } catch {
        return undefined;
      }
      return asUint8Array(plaintext);
    },
  };
}
