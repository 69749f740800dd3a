// The symmetric half of the Noise handshake both roles share: the chaining key
// `ck` and the handshake hash `h`, initialised as BOLT 8 prescribes.
import type { SymmetricBackend } from 'ln-crypto';
import { utf8ToBytes } from 'ln-types';
import { PROLOGUE, PROTOCOL_NAME } from './constants.js';
import { NoiseError, type NoiseErrorCode } from './errors.js';
import { hashPair, hkdf2 } from './keys.js';
import { andThen, isPromise, type MaybePromise } from './maybe-promise.js';
import type { EcdhFunction } from './ecdh.js';

const PROTOCOL_NAME_BYTES = utf8ToBytes(PROTOCOL_NAME);
const PROLOGUE_BYTES = utf8ToBytes(PROLOGUE);

export class HandshakeState {
  ck: Uint8Array;
  h: Uint8Array;

  /** `responderStatic` is the responder's node id, known to both sides before act one. */
  constructor(
    readonly symmetric: SymmetricBackend,
    responderStatic: Uint8Array,
  ) {
    this.h = symmetric.sha256(PROTOCOL_NAME_BYTES);
    this.ck = this.h;
    this.h = hashPair(symmetric, this.h, PROLOGUE_BYTES);
    this.h = hashPair(symmetric, this.h, responderStatic);
  }

  mixHash(data: Uint8Array): void {
    this.h = hashPair(this.symmetric, this.h, data);
  }

  /** ck, temp_k = HKDF(ck, ss); returns temp_k. */
  mixKey(sharedSecret: Uint8Array): Uint8Array {
    const [ck, tempK] = hkdf2(this.symmetric, this.ck, sharedSecret);
    this.ck = ck;
    return tempK;
  }
}

/**
 * Calls the handed-in ECDH and checks its answer, turning a throw, a rejection
 * or a malformed secret into `ecdh_failed`.
 */
export function callEcdh(ecdh: EcdhFunction, theirPubkey: Uint8Array): MaybePromise<Uint8Array> {
  let result: MaybePromise<Uint8Array>;
  try {
    result = ecdh(theirPubkey);
  } catch (cause) {
    throw new NoiseError('ecdh_failed', 'the ECDH function failed', { cause });
  }
  if (isPromise(result)) {
    return result.then(checkSecret, (cause: unknown) => {
      throw new NoiseError('ecdh_failed', 'the ECDH function failed', { cause });
    });
  }
  return checkSecret(result);
}

function checkSecret(secret: unknown): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) {
    throw new NoiseError('ecdh_failed', 'the ECDH function did not return 32 bytes');
  }
  return secret;
}

/** Runs `step`, marking the machine failed (through `fail`) if it throws or rejects. */
export function guarded<T>(fail: () => void, step: () => MaybePromise<T>): MaybePromise<T> {
  let result: MaybePromise<T>;
  try {
    result = step();
  } catch (err) {
    fail();
    throw err;
  }
  if (isPromise(result)) {
    return result.then(undefined, (err: unknown) => {
      fail();
      throw err;
    });
  }
  return result;
}

export function actError(code: NoiseErrorCode, message: string): NoiseError {
  return new NoiseError(code, message);
}

export { andThen };
