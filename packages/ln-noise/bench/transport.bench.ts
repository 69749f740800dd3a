// BOLT 8 transport and handshake speed: ours on the noble and Node-crypto paths,
// against @node-lightning/noise (Node crypto + native secp256k1) and the raw
// Node AEAD limit (four Node ChaCha20-Poly1305 cipher objects per message: what
// any implementation on node:crypto pays; ours seals messages up to 384 bytes
// without them, through ln-crypto's prepared keys, so it can beat that limit).
import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';
import { measure, median, quick, reportMeasurement, reportValue, type Measurement } from 'ln-bench';
import {
  createNativeSecp256k1Backend,
  createTinySecp256k1Backend,
  nobleSecp256k1,
  nobleSymmetric,
  nodeSymmetric,
  type Secp256k1Backend,
  type SymmetricBackend,
} from 'ln-crypto';
import * as tiny from 'tiny-secp256k1';
import native from 'secp256k1';
import { InitiatorHandshake, localEcdh, NoiseDecoder, ResponderHandshake, type NoiseTransport } from '../src/index.js';

const require = createRequire(import.meta.url);
// A CommonJS package working on Buffers.
const { NoiseState } = require('@node-lightning/noise') as {
  NoiseState: new (o: { ls: Buffer; es: Buffer }) => {
    initiatorAct1(rpk: Buffer): Buffer;
    initiatorAct2(m: Buffer): void;
    initiatorAct3(): Buffer;
    receiveAct1(m: Buffer): void;
    recieveAct2(): Buffer;
    receiveAct3(m: Buffer): void;
    encryptMessage(m: Buffer): Buffer;
    decryptLength(c: Buffer): number;
    decryptMessage(c: Buffer): Buffer;
  };
};
const nodeCrypto = require('node:crypto') as typeof NodeCrypto;

const PKG = 'ln-noise';

/**
 * Measures several cases in alternating short runs (round-robin), so a busy
 * machine slows them alike and the ratios stay fair.
 */
function interleaved<K extends string>(cases: Record<K, () => unknown>, rounds = quick ? 3 : 9): Record<K, Measurement> {
  const rates = {} as Record<K, number[]>;
  const names = Object.keys(cases) as K[];
  for (const k of names) rates[k] = [];
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      const m = measure(cases[k], { runs: 1, minRunMs: quick ? 60 : 150, warmupMs: r === 0 ? 100 : 10 });
      rates[k].push(m.median);
      n += m.n;
    }
  }
  const out = {} as Record<K, Measurement>;
  for (const k of names) out[k] = { opsPerSec: rates[k], median: median(rates[k]), min: Math.min(...rates[k]), max: Math.max(...rates[k]), n };
  return out;
}
const keyA = new Uint8Array(32).fill(0x11);
const keyB = new Uint8Array(32).fill(0x21);
const pubA = nobleSecp256k1.publicKeyCreate(keyA);
const pubB = nobleSecp256k1.publicKeyCreate(keyB);

function handshake(symmetric: SymmetricBackend, secp256k1: Secp256k1Backend): [NoiseTransport, NoiseTransport] {
  const initiator = new InitiatorHandshake({ localPublicKey: pubA, remotePublicKey: pubB, ecdh: localEcdh(keyA, secp256k1), symmetric, secp256k1 });
  const responder = new ResponderHandshake({ localPublicKey: pubB, ecdh: localEcdh(keyB, secp256k1), symmetric, secp256k1 });
  const act2 = responder.processActOne(initiator.actOne()) as Uint8Array;
  const done = initiator.processActTwo(act2) as Exclude<ReturnType<InitiatorHandshake['processActTwo']>, Promise<unknown>>;
  return [done.transport, responder.processActThree(done.actThree).transport];
}

function theirHandshake() {
  const a = new NoiseState({ ls: Buffer.from(keyA), es: nodeCrypto.randomBytes(32) });
  const b = new NoiseState({ ls: Buffer.from(keyB), es: nodeCrypto.randomBytes(32) });
  const act1 = a.initiatorAct1(Buffer.from(pubB));
  b.receiveAct1(act1);
  const act2 = b.recieveAct2();
  a.initiatorAct2(act2);
  b.receiveAct3(a.initiatorAct3());
  return [a, b] as const;
}

function rawAeadLimit(size: number): () => void {
  const key = nodeCrypto.randomBytes(32);
  const nonce = Buffer.alloc(12);
  const body = Buffer.alloc(size, 7);
  const len = Buffer.from([size >> 8, size & 0xff]);
  const seal = (data: Buffer) => {
    const c = nodeCrypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    const out = c.update(data);
    c.final();
    return [out, c.getAuthTag()] as const;
  };
  const open = ([data, tag]: readonly [Buffer, Buffer]) => {
    const d = nodeCrypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    d.setAuthTag(tag);
    const out = d.update(data);
    d.final();
    return out;
  };
  return () => {
    open(seal(len));
    open(seal(body));
  };
}

for (const size of [100, 65535]) {
  const message = new Uint8Array(size).fill(5);
  const [theirA, theirB] = theirHandshake();
  const theirMessage = Buffer.from(message);
  const ourCase = (symmetric: SymmetricBackend) => {
    const [a, b] = handshake(symmetric, nobleSecp256k1);
    const decoder = new NoiseDecoder(b);
    const out: Uint8Array[] = [];
    return () => {
      decoder.pushInto(a.encrypt(message), out);
      out.length = 0;
    };
  };
  const m = interleaved({
    theirs: () => {
      const sealed = theirA.encryptMessage(theirMessage);
      const n = theirB.decryptLength(sealed.subarray(0, 18));
      theirB.decryptMessage(sealed.subarray(18, 18 + n + 16));
    },
    limit: rawAeadLimit(size),
    node: ourCase(nodeSymmetric!),
    noble: ourCase(nobleSymmetric),
  });
  const mb = (x: Measurement) => (x.median * size) / 1e6;
  for (const name of ['node', 'noble'] as const) {
    reportMeasurement(PKG, `transport send+receive ${size} B [${name}]`, m[name], 'msg/s', { name: '@node-lightning/noise', measurement: m.theirs });
    reportValue(PKG, `transport send+receive ${size} B [${name}] throughput`, mb(m[name]), 'MB/s');
  }
  reportMeasurement(PKG, `transport send+receive ${size} B [node] vs raw AEAD limit`, m.node, 'msg/s', { name: 'raw node AEAD x4', measurement: m.limit });
  reportValue(PKG, `@node-lightning/noise send+receive ${size} B`, m.theirs.median, 'msg/s');
  reportValue(PKG, `raw AEAD limit ${size} B`, m.limit.median, 'msg/s');
}

const tiny256 = createTinySecp256k1Backend(tiny);
const native256 = createNativeSecp256k1Backend(native);
const hs = interleaved(
  {
    theirs: () => theirHandshake(),
    noble: () => handshake(nodeSymmetric!, nobleSecp256k1),
    tiny: () => handshake(nodeSymmetric!, tiny256),
    native: () => handshake(nodeSymmetric!, native256),
  },
  quick ? 3 : 5,
);
for (const [name, key] of [['noble', 'noble'], ['tiny-secp256k1', 'tiny'], ['secp256k1-native', 'native']] as const) {
  reportMeasurement(PKG, `handshake both sides [${name}]`, hs[key], 'handshakes/s', { name: '@node-lightning/noise', measurement: hs.theirs });
}
reportValue(PKG, '@node-lightning/noise handshake both sides', hs.theirs.median, 'handshakes/s');
