import type { Secp256k1Backend, SymmetricBackend } from 'ln-crypto';
import { publicKey } from 'ln-types';
import { ACT_ONE_LENGTH, ACT_THREE_LENGTH, ACT_TWO_LENGTH, HANDSHAKE_VERSION } from './constants.js';
import type { EcdhFunction } from './ecdh.js';
import { ephemeralKeyPair, isCompressedPublicKey } from './ephemeral.js';
import { NoiseError } from './errors.js';
import { actError, andThen, callEcdh, guarded, HandshakeState } from './handshake-state.js';
import type { HandshakeComplete } from './initiator.js';
import { decryptWithAd, EMPTY, encryptWithAd, hkdf2 } from './keys.js';
import type { MaybePromise } from './maybe-promise.js';
import { resolveBackends, type HandshakeOptions } from './options.js';
import { NoiseTransport } from './transport.js';

type ResponderStage = 'act_one' | 'act_three' | 'busy' | 'done' | 'failed';

/**
 * The responder of a BOLT 8 handshake: `processActOne(bytes)` checks the
 * initiator's 50 bytes and returns act two to send; `processActThree(bytes)`
 * checks the final 66 bytes and returns the initiator's node id and the
 * transport. Any failure leaves the machine refusing further calls.
 *
 * `processActOne` returns a promise only when the ECDH function does.
 */
export class ResponderHandshake {
  private stage: ResponderStage = 'act_one';
  private readonly state: HandshakeState;
  private readonly symmetric: SymmetricBackend;
  private readonly secp256k1: Secp256k1Backend;
  private readonly ecdh: EcdhFunction;
  private readonly ephemeral: { priv: Uint8Array; pub: Uint8Array };
  private tempK2: Uint8Array = EMPTY;

  /** @throws NoiseError `invalid_option` for a malformed local key */
  constructor(options: HandshakeOptions) {
    const { symmetric, secp256k1 } = resolveBackends(options);
    this.symmetric = symmetric;
    this.secp256k1 = secp256k1;
    this.ecdh = options.ecdh;
    if (!(options.localPublicKey instanceof Uint8Array) || options.localPublicKey.length !== 33) {
      throw new NoiseError('invalid_option', 'localPublicKey must be 33 bytes');
    }
    this.ephemeral = ephemeralKeyPair(secp256k1, options.ephemeralPrivateKey);
    this.state = new HandshakeState(symmetric, options.localPublicKey);
  }

  /**
   * Checks act one (exactly 50 bytes) and returns the 50 bytes of act two.
   * @throws NoiseError `act1_read_failed`, `act1_bad_version`, `act1_bad_pubkey`, `act1_bad_tag`, `ecdh_failed`
   */
  processActOne(act: Uint8Array): MaybePromise<Uint8Array> {
    this.expect('act_one');
    this.stage = 'busy';
    return guarded(this.failer, () => {
      if (act.length !== ACT_ONE_LENGTH) throw actError('act1_read_failed', `act one is ${ACT_ONE_LENGTH} bytes, got ${act.length}`);
      if (act[0] !== HANDSHAKE_VERSION) throw actError('act1_bad_version', `unknown handshake version ${act[0]}`);
      const re = Uint8Array.from(act.subarray(1, 34));
      if (!isCompressedPublicKey(this.secp256k1, re)) throw actError('act1_bad_pubkey', 'act one carries an invalid ephemeral key');
      const c = Uint8Array.from(act.subarray(34));
      this.state.mixHash(re);
      // es: ECDH with our static key, the one step that may go to a remote signer.
      return andThen(callEcdh(this.ecdh, re), (es) => this.actTwo(re, es, c));
    });
  }

  private actTwo(re: Uint8Array, es: Uint8Array, c: Uint8Array): Uint8Array {
    const { state, symmetric, ephemeral } = this;
    const tempK1 = state.mixKey(es);
    if (decryptWithAd(symmetric, tempK1, 0, state.h, c) === undefined) throw actError('act1_bad_tag', 'act one did not authenticate');
    state.mixHash(c);
    state.mixHash(ephemeral.pub);
    const ee = this.secp256k1.ecdh(ephemeral.priv, re);
    this.tempK2 = state.mixKey(ee);
    const c2 = encryptWithAd(symmetric, this.tempK2, 0, state.h);
    state.mixHash(c2);
    const out = new Uint8Array(ACT_TWO_LENGTH);
    out[0] = HANDSHAKE_VERSION;
    out.set(ephemeral.pub, 1);
    out.set(c2, 34);
    this.stage = 'act_three';
    return out;
  }

  /**
   * Checks act three (exactly 66 bytes): authenticates the initiator's static key.
   * @throws NoiseError `act3_read_failed`, `act3_bad_version`, `act3_bad_ciphertext`, `act3_bad_pubkey`, `act3_bad_tag`
   */
  processActThree(act: Uint8Array): HandshakeComplete {
    this.expect('act_three');
    this.stage = 'busy';
    return guarded(this.failer, () => {
      const { state, symmetric } = this;
      if (act.length !== ACT_THREE_LENGTH) throw actError('act3_read_failed', `act three is ${ACT_THREE_LENGTH} bytes, got ${act.length}`);
      if (act[0] !== HANDSHAKE_VERSION) throw actError('act3_bad_version', `unknown handshake version ${act[0]}`);
      const c = act.subarray(1, 50);
      const t = act.subarray(50);
      const rs = decryptWithAd(symmetric, this.tempK2, 1, state.h, c);
      if (rs === undefined) throw actError('act3_bad_ciphertext', 'the encrypted static key did not authenticate');
      if (!isCompressedPublicKey(this.secp256k1, rs)) throw actError('act3_bad_pubkey', 'act three carries an invalid static key');
      state.mixHash(c);
      // se: ECDH with our ephemeral key and their static key (no signer involved).
      const se = this.secp256k1.ecdh(this.ephemeral.priv, rs);
      const tempK3 = state.mixKey(se);
      if (decryptWithAd(symmetric, tempK3, 0, state.h, t) === undefined) throw actError('act3_bad_tag', 'act three did not authenticate');
      const [rk, sk] = hkdf2(symmetric, state.ck, EMPTY);
      this.stage = 'done';
      return { remotePublicKey: publicKey(Uint8Array.from(rs)), transport: new NoiseTransport(symmetric, sk, rk, state.ck) };
    }) as HandshakeComplete;
  }

  private readonly failer = (): void => {
    this.stage = 'failed';
  };

  private expect(stage: ResponderStage): void {
    if (this.stage !== stage) throw new NoiseError('invalid_state', `responder handshake is at ${this.stage}, not ${stage}`);
  }
}
