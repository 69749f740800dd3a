import type { Secp256k1Backend, SymmetricBackend } from 'ln-crypto';
import { publicKey, type PublicKey } from 'ln-types';
import { ACT_ONE_LENGTH, ACT_THREE_LENGTH, ACT_TWO_LENGTH, HANDSHAKE_VERSION, MAC_LENGTH } from './constants.js';
import type { EcdhFunction } from './ecdh.js';
import { ephemeralKeyPair, isCompressedPublicKey } from './ephemeral.js';
import { NoiseError } from './errors.js';
import { actError, andThen, callEcdh, guarded, HandshakeState } from './handshake-state.js';
import { decryptWithAd, EMPTY, encryptWithAd, hkdf2 } from './keys.js';
import type { MaybePromise } from './maybe-promise.js';
import { resolveBackends, type InitiatorOptions } from './options.js';
import { NoiseTransport } from './transport.js';

/** What a completed handshake yields on either side. */
export interface HandshakeComplete {
  /** The peer's static public key (its node id). */
  readonly remotePublicKey: PublicKey;
  readonly transport: NoiseTransport;
}

/** The initiator's result of act two: act three to send, and the transport. */
export interface InitiatorComplete extends HandshakeComplete {
  /** The 66 bytes of act three, to send before any transport message. */
  readonly actThree: Uint8Array;
}

type InitiatorStage = 'act_one' | 'act_two' | 'busy' | 'done' | 'failed';

/**
 * The initiator of a BOLT 8 handshake: `actOne()` gives the 50 bytes to send,
 * `processActTwo(bytes)` checks the responder's 50 bytes and returns act three
 * and the transport. Any failure leaves the machine refusing further calls.
 *
 * `processActTwo` returns a promise only when the ECDH function does.
 */
export class InitiatorHandshake {
  private stage: InitiatorStage = 'act_one';
  private readonly state: HandshakeState;
  private readonly symmetric: SymmetricBackend;
  private readonly secp256k1: Secp256k1Backend;
  private readonly ecdh: EcdhFunction;
  private readonly localPublicKey: Uint8Array;
  private readonly remotePublicKey: PublicKey;
  private readonly ephemeral: { priv: Uint8Array; pub: Uint8Array };
  private tempK2: Uint8Array = EMPTY;

  /** @throws NoiseError `invalid_option` for a malformed local or remote key */
  constructor(options: InitiatorOptions) {
    const { symmetric, secp256k1 } = resolveBackends(options);
    this.symmetric = symmetric;
    this.secp256k1 = secp256k1;
    this.ecdh = options.ecdh;
    if (!isCompressedPublicKey(secp256k1, options.remotePublicKey)) {
      throw new NoiseError('invalid_option', 'remotePublicKey must be a valid 33-byte compressed public key');
    }
    if (!(options.localPublicKey instanceof Uint8Array) || options.localPublicKey.length !== 33) {
      throw new NoiseError('invalid_option', 'localPublicKey must be 33 bytes');
    }
    this.remotePublicKey = publicKey(Uint8Array.from(options.remotePublicKey));
    this.localPublicKey = Uint8Array.from(options.localPublicKey);
    this.ephemeral = ephemeralKeyPair(secp256k1, options.ephemeralPrivateKey);
    this.state = new HandshakeState(symmetric, this.remotePublicKey);
  }

  /** The 50 bytes of act one. */
  actOne(): Uint8Array {
    this.expect('act_one');
    return guarded(this.failer, () => {
      const { state, ephemeral } = this;
      state.mixHash(ephemeral.pub);
      // es: ECDH with our ephemeral key, so no signer is involved.
      const es = this.secp256k1.ecdh(ephemeral.priv, this.remotePublicKey);
      const tempK1 = state.mixKey(es);
      const c = encryptWithAd(this.symmetric, tempK1, 0, state.h);
      state.mixHash(c);
      const act = new Uint8Array(ACT_ONE_LENGTH);
      act[0] = HANDSHAKE_VERSION;
      act.set(ephemeral.pub, 1);
      act.set(c, 34);
      this.stage = 'act_two';
      return act;
    }) as Uint8Array;
  }

  /**
   * Checks act two (exactly 50 bytes) and builds act three and the transport.
   * @throws NoiseError `act2_read_failed`, `act2_bad_version`, `act2_bad_pubkey`, `act2_bad_tag`, `ecdh_failed`
   */
  processActTwo(act: Uint8Array): MaybePromise<InitiatorComplete> {
    this.expect('act_two');
    this.stage = 'busy';
    return guarded(this.failer, () => {
      if (act.length !== ACT_TWO_LENGTH) throw actError('act2_read_failed', `act two is ${ACT_TWO_LENGTH} bytes, got ${act.length}`);
      if (act[0] !== HANDSHAKE_VERSION) throw actError('act2_bad_version', `unknown handshake version ${act[0]}`);
      const re = act.subarray(1, 34);
      if (!isCompressedPublicKey(this.secp256k1, re)) throw actError('act2_bad_pubkey', 'act two carries an invalid ephemeral key');
      const { state } = this;
      state.mixHash(re);
      const ee = this.secp256k1.ecdh(this.ephemeral.priv, re);
      this.tempK2 = state.mixKey(ee);
      const c = act.subarray(34);
      if (decryptWithAd(this.symmetric, this.tempK2, 0, state.h, c) === undefined) {
        throw actError('act2_bad_tag', 'act two did not authenticate');
      }
      state.mixHash(c);
      const reCopy = Uint8Array.from(re);
      // se: ECDH with our static key, the one step that may go to a remote signer.
      return andThen(callEcdh(this.ecdh, reCopy), (se) => this.actThree(se));
    });
  }

  private actThree(se: Uint8Array): InitiatorComplete {
    const { state, symmetric } = this;
    const c = encryptWithAd(symmetric, this.tempK2, 1, state.h, this.localPublicKey);
    state.mixHash(c);
    const tempK3 = state.mixKey(se);
    const t = encryptWithAd(symmetric, tempK3, 0, state.h);
    const [sk, rk] = hkdf2(symmetric, state.ck, EMPTY);
    const act = new Uint8Array(ACT_THREE_LENGTH);
    act[0] = HANDSHAKE_VERSION;
    act.set(c, 1);
    act.set(t, 1 + 33 + MAC_LENGTH);
    this.stage = 'done';
    return { actThree: act, remotePublicKey: this.remotePublicKey, transport: new NoiseTransport(symmetric, sk, rk, state.ck) };
  }

  private readonly failer = (): void => {
    this.stage = 'failed';
  };

  private expect(stage: InitiatorStage): void {
    if (this.stage !== stage) throw new NoiseError('invalid_state', `initiator handshake is at ${this.stage}, not ${stage}`);
  }
}
