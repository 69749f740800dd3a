import { describe, expect, test } from '@jest/globals';
import { nobleSecp256k1 } from 'ln-crypto';
import { fromHex, toHex } from 'ln-types';
import { InitiatorHandshake, localEcdh, NoiseError, ResponderHandshake, type NoiseTransport } from '../src/index.js';
import { symmetricBackends, vectors } from './helpers.js';

function expectNoiseError(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(NoiseError);
  expect((thrown as NoiseError).code).toBe(code);
}

// The transport's keys are private: check them through the spec's outputs
// instead (the first message encrypted with sk decrypts with rk).
function checkKeys(transport: NoiseTransport, sk: string, rk: string, symmetric: (typeof symmetricBackends)[number][1]): void {
  const nonce = new Uint8Array(12);
  const sealed = transport.encrypt(fromHex('68656c6c6f'));
  const header = symmetric.chacha20Poly1305Open(fromHex(sk), nonce, sealed.subarray(0, 18), new Uint8Array(0));
  expect(toHex(header)).toBe('0005');
  const reply = symmetric.chacha20Poly1305Seal(fromHex(rk), nonce, Uint8Array.of(0, 1), new Uint8Array(0));
  expect(transport.decryptLength(reply)).toBe(1);
}

describe.each(symmetricBackends)('BOLT 8 handshake vectors [%s]', (_name, symmetric) => {
  for (const v of vectors.initiator) {
    test(v.name, () => {
      const initiator = new InitiatorHandshake({
        localPublicKey: fromHex(v['ls.pub']),
        remotePublicKey: fromHex(v['rs.pub']!),
        ecdh: localEcdh(fromHex(v['ls.priv'])),
        ephemeralPrivateKey: fromHex(v['e.priv']),
        symmetric,
      });
      expect(toHex(initiator.actOne())).toBe(v.act1_output);
      const act2 = fromHex(v.act2_input!);
      if (v.error !== undefined) {
        expect(v.error_act).toBe(2);
        expectNoiseError(() => initiator.processActTwo(act2), v.error.toLowerCase());
        // The failed machine refuses to continue.
        expectNoiseError(() => initiator.processActTwo(fromHex(vectors.initiator[0]!.act2_input!)), 'invalid_state');
        return;
      }
      const done = initiator.processActTwo(act2);
      if (done instanceof Promise) throw new Error('a local ECDH must keep the handshake synchronous');
      expect(toHex(done.actThree)).toBe(v.act3_output);
      expect(toHex(done.remotePublicKey)).toBe(v['rs.pub']);
      checkKeys(done.transport, v.sk!, v.rk!, symmetric);
    });
  }

  for (const v of vectors.responder) {
    test(v.name, () => {
      const responder = new ResponderHandshake({
        localPublicKey: fromHex(v['ls.pub']),
        ecdh: localEcdh(fromHex(v['ls.priv'])),
        ephemeralPrivateKey: fromHex(v['e.priv']),
        symmetric,
      });
      const act1 = fromHex(v.act1_input!);
      if (v.error_act === 1) {
        expectNoiseError(() => responder.processActOne(act1), v.error!.toLowerCase());
        expectNoiseError(() => responder.processActOne(fromHex(vectors.responder[0]!.act1_input!)), 'invalid_state');
        return;
      }
      expect(toHex(responder.processActOne(act1) as Uint8Array)).toBe(v.act2_output);
      const act3 = fromHex(v.act3_input!);
      if (v.error_act === 3) {
        expectNoiseError(() => responder.processActThree(act3), v.error!.toLowerCase());
        expectNoiseError(() => responder.processActThree(fromHex(vectors.responder[0]!.act3_input!)), 'invalid_state');
        return;
      }
      const done = responder.processActThree(act3);
      expect(toHex(done.remotePublicKey)).toBe(vectors.initiator[0]!['ls.pub']);
      checkKeys(done.transport, v.sk!, v.rk!, symmetric);
    });
  }
});

describe('handshake state machine', () => {
  const keyA = fromHex('11'.repeat(32));
  const keyB = fromHex('21'.repeat(32));
  const pubA = nobleSecp256k1.publicKeyCreate(keyA);
  const pubB = nobleSecp256k1.publicKeyCreate(keyB);

  test('an asynchronous ECDH (remote signer) gives promises only where the static key is used', async () => {
    const slow = (key: Uint8Array) => (their: Uint8Array) => new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(localEcdh(key)(their) as Uint8Array), 1));
    const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubB, ecdh: slow(keyA) });
    const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: slow(keyB) });
    const act1 = initiator.actOne();
    const act2Pending = responder.processActOne(act1);
    expect(act2Pending).toBeInstanceOf(Promise);
    const donePending = initiator.processActTwo(await act2Pending);
    expect(donePending).toBeInstanceOf(Promise);
    const done = await donePending;
    const theirs = responder.processActThree(done.actThree);
    expect(toHex(theirs.remotePublicKey)).toBe(toHex(pubA));
    const [message] = [done.transport.encrypt(Uint8Array.of(1, 2, 3))];
    expect(theirs.transport.decryptLength(message!.subarray(0, 18))).toBe(3);
  });

  test('a failing or malformed ECDH gives ecdh_failed, synchronously or as a rejection', async () => {
    const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: () => { throw new Error('signer offline'); } });
    const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubB, ecdh: localEcdh(keyA) });
    const act1 = initiator.actOne();
    expectNoiseError(() => responder.processActOne(act1), 'ecdh_failed');
    const short = new ResponderHandshake({ localPublicKey: pubB, ecdh: () => new Uint8Array(31) });
    expectNoiseError(() => short.processActOne(act1), 'ecdh_failed');
    const rejecting = new ResponderHandshake({ localPublicKey: pubB, ecdh: () => Promise.reject(new Error('no')) });
    await expect(rejecting.processActOne(act1)).rejects.toMatchObject({ code: 'ecdh_failed' });
    expectNoiseError(() => rejecting.processActOne(act1), 'invalid_state');
  });

  test('methods out of order and bad options are refused', () => {
    const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubB, ecdh: localEcdh(keyA) });
    expectNoiseError(() => initiator.processActTwo(new Uint8Array(50)), 'invalid_state');
    initiator.actOne();
    expectNoiseError(() => initiator.actOne(), 'invalid_state');
    const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: localEcdh(keyB) });
    expectNoiseError(() => responder.processActThree(new Uint8Array(66)), 'invalid_state');
    expectNoiseError(() => new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: new Uint8Array(33), ecdh: localEcdh(keyA) }), 'invalid_option');
    expectNoiseError(() => new ResponderHandshake({ localPublicKey: new Uint8Array(32), ecdh: localEcdh(keyB) }), 'invalid_option');
    expectNoiseError(() => localEcdh(new Uint8Array(32)), 'invalid_option');
    expectNoiseError(() => new ResponderHandshake({ localPublicKey: pubB, ecdh: localEcdh(keyB), ephemeralPrivateKey: new Uint8Array(32) }), 'invalid_option');
  });

  test('random ephemeral keys give a working handshake each time', () => {
    for (let i = 0; i < 3; i++) {
      const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubB, ecdh: localEcdh(keyA) });
      const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: localEcdh(keyB) });
      const done = initiator.processActTwo(responder.processActOne(initiator.actOne()) as Uint8Array);
      if (done instanceof Promise) throw new Error('unexpected async');
      expect(toHex(responder.processActThree(done.actThree).remotePublicKey)).toBe(toHex(pubA));
    }
  });

  test('a wrong responder key fails act one with a bad tag', () => {
    const pubC = nobleSecp256k1.publicKeyCreate(fromHex('31'.repeat(32)));
    const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubC, ecdh: localEcdh(keyA) });
    const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: localEcdh(keyB) });
    expectNoiseError(() => responder.processActOne(initiator.actOne()), 'act1_bad_tag');
  });
});
