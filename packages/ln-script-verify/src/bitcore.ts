// bitcore-lib ships no typings; this file describes the few members used. It and
// signatures/ are the only places that touch bitcore's Buffer-based objects.
//
// bitcore-lib (CommonJS) is loaded by Node's own loader in the main realm (see
// realm.ts: under jest's sandbox its bn.js arithmetic ran ~1000x slower).
import type { Buffer } from 'node:buffer';
import { realmRequire } from './realm.js';

const bitcoreModule: unknown = realmRequire('bitcore-lib');

/** A parsed bitcore script. */
export interface BitcoreScript {
  readonly chunks: readonly { readonly opcodenum: number; readonly buf?: Uint8Array }[];
  toBuffer(): Uint8Array;
}

/** A bitcore transaction input (parsed from raw bytes). */
export interface BitcoreInput {
  readonly script: BitcoreScript;
  readonly witnesses: readonly Uint8Array[] | undefined;
  output?: unknown;
}

/** A bitcore transaction. */
export interface BitcoreTransaction {
  readonly inputs: BitcoreInput[];
}

/** bitcore's script interpreter. */
export interface BitcoreInterpreter {
  verify(scriptSig: BitcoreScript, scriptPubKey: BitcoreScript, tx: BitcoreTransaction, nin: number, flags: number, witness: Uint8Array[], satoshis: number): boolean;
  errstr?: string;
  stack: unknown[];
}

interface Bitcore {
  Script: new (buf: Uint8Array) => BitcoreScript;
  Transaction: {
    new (raw: Uint8Array | string): BitcoreTransaction;
    Output: new (params: { script: Uint8Array; satoshis: number }) => unknown;
  };
}

const bitcore = bitcoreModule as Bitcore;
const Interpreter = (bitcoreModule as { Script: { Interpreter: new () => BitcoreInterpreter } }).Script.Interpreter;

export const newScript = (bytes: Uint8Array): BitcoreScript => new bitcore.Script(bytes);
export const newTransaction = (raw: Uint8Array): BitcoreTransaction => new bitcore.Transaction(raw);
export const newOutput = (script: Uint8Array, satoshis: number): unknown => new bitcore.Transaction.Output({ script, satoshis });
export const newInterpreter = (): BitcoreInterpreter => new Interpreter();

// The elliptic-curve layer the interpreter calls through module objects (see
// signatures/bitcore-hooks.ts, which redirects these calls during a verification).

/** A bitcore bn.js number. */
export interface BitcoreBN {
  toArrayLike(type: typeof Buffer, endian: 'be', length: number): Uint8Array;
  gtn(n: number): boolean;
  lt(other: BitcoreBN): boolean;
  eq(other: BitcoreBN): boolean;
  isOdd(): boolean;
  umod(m: BitcoreBN): BitcoreBN;
  toBuffer(opts: { size: number }): Uint8Array;
}

/** A point of elliptic's secp256k1 curve, as bitcore uses it. */
export interface BitcorePoint {
  mul(k: BitcoreBN): BitcorePoint;
  add(p: BitcorePoint): BitcorePoint;
  neg(): BitcorePoint;
  isInfinity(): boolean;
  getX(): BitcoreBN;
  getY(): BitcoreBN;
}

/** A bitcore signature (ECDSA or Schnorr) as its parsers give it. */
export interface BitcoreSignature {
  r: BitcoreBN;
  s: BitcoreBN;
  nhashtype?: number;
  isSchnorr?: boolean;
  toBuffer(): Uint8Array;
}

/** A bitcore public key (the interpreter only reads `compressed`; the signature check reads the point). */
export interface BitcorePublicKey {
  readonly compressed: boolean;
  readonly point: { readonly x: BitcoreBN };
  toBuffer(): Uint8Array;
}

/** bitcore's PublicKey class, with the statics the interpreter calls. */
export interface BitcorePublicKeyClass {
  prototype: { computeTapTweakHash(this: BitcorePublicKey, merkleRoot?: Uint8Array): Uint8Array };
  isValid(data: unknown): boolean;
  fromBuffer(buf: Uint8Array, strict?: boolean): BitcorePublicKey;
}

/** bitcore's ECDSA module. */
export interface BitcoreEcdsa {
  verify(hashbuf: Uint8Array, sig: BitcoreSignature, pubkey: BitcorePublicKey, opts?: { endian?: string }): boolean;
  verificationError(hashbuf: Uint8Array, sig: BitcoreSignature, pubkey: BitcorePublicKey, opts?: { endian?: string }): string | undefined;
}

/** bitcore's Schnorr module. */
export interface BitcoreSchnorr {
  verify(publicKey: unknown, message: unknown, signature: unknown): boolean;
}

/** The pieces of bitcore-lib the signature hooks replace or call. */
export const bitcoreCurve = {
  PublicKey: (bitcoreModule as { PublicKey: BitcorePublicKeyClass }).PublicKey,
  ECDSA: (bitcoreModule as { crypto: { ECDSA: BitcoreEcdsa } }).crypto.ECDSA,
  Schnorr: (bitcoreModule as { crypto: { Schnorr: BitcoreSchnorr } }).crypto.Schnorr,
  Signature: (bitcoreModule as { crypto: { Signature: new () => BitcoreSignature } }).crypto.Signature,
  BN: (bitcoreModule as { crypto: { BN: { fromBuffer(buf: Uint8Array): BitcoreBN } } }).crypto.BN,
  Point: (bitcoreModule as { crypto: { Point: { getG(): BitcorePoint; fromX(odd: boolean, x: BitcoreBN): BitcorePoint } } }).crypto.Point,
  TaggedHash: (bitcoreModule as { crypto: { TaggedHash: new (tag: string, data?: Uint8Array) => { write(data: Uint8Array): unknown; finalize(): Uint8Array } } }).crypto.TaggedHash,
  /** The group order n. */
  N: (bitcoreModule as { crypto: { Point: { getN(): BitcoreBN } } }).crypto.Point.getN(),
};
