import { prepareChaCha20Poly1305Key, type ChaCha20Poly1305Key, type SymmetricBackend } from 'ln-crypto';
import { KEY_ROTATION_INTERVAL, LENGTH_HEADER_LENGTH, MAC_LENGTH, MAX_MESSAGE_LENGTH } from './constants.js';
import { NoiseError } from './errors.js';
import { hkdf2, writeNonce } from './keys.js';

/** One direction of the transport: a key, its chaining key and its nonce counter. */
class CipherState {
  private readonly nonceBytes = new Uint8Array(12);
  private counter = 0;
  private prepared: ChaCha20Poly1305Key;

  constructor(
    private readonly symmetric: SymmetricBackend,
    private key: Uint8Array,
    private chainingKey: Uint8Array,
  ) {
    this.prepared = prepareChaCha20Poly1305Key(key, symmetric);
  }

  private advance(): void {
    this.counter++;
    writeNonce(this.nonceBytes, this.counter);
    if (this.counter === KEY_ROTATION_INTERVAL) {
      // ck', k' = HKDF(ck, k): BOLT 8 key rotation, then the nonce restarts.
      [this.chainingKey, this.key] = hkdf2(this.symmetric, this.chainingKey, this.key);
      this.prepared = prepareChaCha20Poly1305Key(this.key, this.symmetric);
      this.counter = 0;
      writeNonce(this.nonceBytes, 0);
    }
  }

  sealInto(plaintext: Uint8Array, out: Uint8Array, offset: number): void {
    this.prepared.sealInto(this.nonceBytes, plaintext, out, offset);
    this.advance();
  }

  /** The plaintext, or `undefined` when the tag does not authenticate (the nonce then stays). */
  open(sealed: Uint8Array): Uint8Array | undefined {
    const plaintext = this.prepared.open(this.nonceBytes, sealed);
    if (plaintext !== undefined) this.advance();
    return plaintext;
  }
}

/**
 * The encrypted transport after a completed handshake (BOLT 8 "Lightning
 * Message Specification"): each message is an encrypted 2-byte length with its
 * tag (18 bytes) followed by the encrypted body with its tag. Each direction
 * rotates its key every 1000 nonces.
 *
 * After any authentication failure the transport refuses every further call
 * (`invalid_state`): the connection must be dropped.
 */
export class NoiseTransport {
  private readonly sending: CipherState;
  private readonly receiving: CipherState;
  private broken = false;

  /** Built by the handshakes; `ck` is the final chaining key, the initial one of both directions. */
  constructor(symmetric: SymmetricBackend, sendingKey: Uint8Array, receivingKey: Uint8Array, chainingKey: Uint8Array) {
    this.sending = new CipherState(symmetric, sendingKey, chainingKey);
    this.receiving = new CipherState(symmetric, receivingKey, chainingKey);
  }

  /** True after an authentication failure: the transport will not decrypt or encrypt again. */
  get failed(): boolean {
    return this.broken;
  }

  /**
   * Encrypts one message: encrypted length header (18 bytes), then body and tag.
   * @throws NoiseError `message_too_large` above 65535 bytes (nothing is consumed then)
   */
  encrypt(message: Uint8Array): Uint8Array {
    this.checkUsable();
    if (message.length > MAX_MESSAGE_LENGTH) {
      throw new NoiseError('message_too_large', `message of ${message.length} bytes exceeds ${MAX_MESSAGE_LENGTH}`);
    }
    // One frame: sealed length (18 bytes), then sealed body; both written in place.
    const frame = new Uint8Array(LENGTH_HEADER_LENGTH + message.length + MAC_LENGTH);
    const length = Uint8Array.of(message.length >>> 8, message.length & 0xff);
    this.sending.sealInto(length, frame, 0);
    this.sending.sealInto(message, frame, LENGTH_HEADER_LENGTH);
    return frame;
  }

  /**
   * Decrypts an 18-byte length header and returns the body length that follows
   * (the body is that many bytes plus a 16-byte tag).
   * @throws NoiseError `bad_length_mac`; `invalid_state` after an earlier failure
   */
  decryptLength(header: Uint8Array): number {
    this.checkUsable();
    if (header.length !== LENGTH_HEADER_LENGTH) return this.fail('bad_length_mac', `a length header is ${LENGTH_HEADER_LENGTH} bytes`);
    const plain = this.receiving.open(header);
    if (plain === undefined) return this.fail('bad_length_mac', 'the length header did not authenticate');
    return (plain[0]! << 8) | plain[1]!;
  }

  /**
   * Decrypts a message body followed by its tag.
   * @throws NoiseError `bad_message_mac`; `invalid_state` after an earlier failure
   */
  decryptMessage(sealed: Uint8Array): Uint8Array {
    this.checkUsable();
    if (sealed.length < MAC_LENGTH) return this.fail('bad_message_mac', 'a message body is shorter than its tag');
    const plain = this.receiving.open(sealed);
    if (plain === undefined) return this.fail('bad_message_mac', 'a message body did not authenticate');
    return plain;
  }

  private checkUsable(): void {
    if (this.broken) throw new NoiseError('invalid_state', 'the transport failed earlier and refuses to continue');
  }

  private fail(code: 'bad_length_mac' | 'bad_message_mac', message: string): never {
    this.broken = true;
    throw new NoiseError(code, message);
  }
}
