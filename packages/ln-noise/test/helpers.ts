// Shared by the tests: both symmetric backends, fixtures, and a handshaken pair.
import { readFileSync } from 'node:fs';
import { nobleSecp256k1, nobleSymmetric, nodeSymmetric, type SymmetricBackend } from 'ln-crypto';
import { fromHex } from 'ln-types';
import { InitiatorHandshake, localEcdh, ResponderHandshake, type NoiseTransport } from '../src/index.js';

export const symmetricBackends: [string, SymmetricBackend][] = [
  ['noble', nobleSymmetric],
  ['node', nodeSymmetric!],
];

export interface HandshakeVector {
  name: string;
  'rs.pub'?: string;
  'ls.priv': string;
  'ls.pub': string;
  'e.priv': string;
  'e.pub': string;
  act1_output?: string;
  act1_input?: string;
  act2_input?: string;
  act2_output?: string;
  act3_output?: string;
  act3_input?: string;
  sk?: string;
  rk?: string;
  error?: string;
  error_act?: number;
}

export interface Vectors {
  initiator: HandshakeVector[];
  responder: HandshakeVector[];
  message_encryption: { outputs: { index: number; ciphertext: string }[]; plaintext: string; ck: string; sk: string; rk: string };
}

export const vectors = JSON.parse(readFileSync(new URL('./fixtures/bolt08-transport.json', import.meta.url), 'utf8')) as Vectors;

const keyA = fromHex('11'.repeat(32));
const keyB = fromHex('21'.repeat(32));

/** A completed handshake between two in-memory parties: [initiator's transport, responder's transport]. */
export function handshakenPair(symmetric: SymmetricBackend): [NoiseTransport, NoiseTransport] {
  const pubA = nobleSecp256k1.publicKeyCreate(keyA);
  const pubB = nobleSecp256k1.publicKeyCreate(keyB);
  const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubB, ecdh: localEcdh(keyA), symmetric });
  const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: localEcdh(keyB), symmetric });
  const act2 = responder.processActOne(initiator.actOne()) as Uint8Array;
  const done = initiator.processActTwo(act2);
  if (done instanceof Promise) throw new Error('unexpected async');
  const theirs = responder.processActThree(done.actThree);
  return [done.transport, theirs.transport];
}
