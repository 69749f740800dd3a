import { CryptoError } from '../errors.js';
import { asUint8Array, nodeCryptoModule } from '../node-builtin.js';
import type { SymmetricBackend } from './backend.js';
import { checkAeadArgs } from './checks.js';

const TAG_LENGTH = 16;

/**
 * Symmetric primitives on Node's OpenSSL (several times faster for AEAD on large
 * messages), or `undefined` when the runtime has no Node crypto (browsers).
 */
export const nodeSymmetric: SymmetricBackend | undefined = createNodeSymmetric();

function createNodeSymmetric(): SymmetricBackend | undefined {
  const crypto = nodeCryptoModule();
  if (crypto === undefined) return undefined;
  // crypto.hash (Node 20.12+) skips the Hash object: fastest for one-shot digests.
  const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;
  return Object.freeze({
    name: 'node',
    sha256: oneShot
      ? (data: Uint8Array) => asUint8Array(oneShot('sha256', data, 'buffer') as unknown as Uint8Array)
      : (data: Uint8Array) => asUint8Array(crypto.createHash('sha256').update(data).digest()),
    hmacSha256: (key: Uint8Array, data: Uint8Array) => asUint8Array(crypto.createHmac('sha256', key).update(data).digest()),
    chacha20Poly1305Seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
      checkAeadArgs(key, nonce);
      const cipher = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH });
      cipher.setAAD(aad, { plaintextLength: plaintext.length });
      const out = new Uint8Array(plaintext.length + TAG_LENGTH);
      out.set(cipher.update(plaintext), 0);
      cipher.final();
      out.set(cipher.getAuthTag(), plaintext.length);
      return out;
    },
    chacha20Poly1305Open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array) {
      checkAeadArgs(key, nonce);
      if (sealed.length < TAG_LENGTH) throw new CryptoError('bad_mac', 'sealed data is shorter than its tag');
      const bodyLength = sealed.length - TAG_LENGTH;
      const decipher = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(aad, { plaintextLength: bodyLength });
      decipher.setAuthTag(sealed.subarray(bodyLength));
      const plaintext = decipher.update(sealed.subarray(0, bodyLength));
      try {
        decipher.final();
      } catch (cause) {
        throw new CryptoError('bad_mac', 'ChaCha20-Poly1305 authentication failed', { cause });
      }
      return asUint8Array(plaintext);
    },
  });
}
