// Small, independent builders for the signature tests: raw transactions
// serialized by hand, signature hashes from @scure/btc-signer (legacy ones by
// hand), keys and signatures from @noble/curves.
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { Transaction } from '@scure/btc-signer';
import { CURVE_ORDER, hash160, sha256d, signatureToDer } from 'ln-crypto';
import { concatBytes } from 'ln-types';

export interface RawInput {
  readonly txid: Uint8Array;
  readonly vout: number;
  readonly scriptSig?: Uint8Array;
  readonly sequence?: number;
  readonly witness?: readonly Uint8Array[];
}
export interface RawOutput {
  readonly script: Uint8Array;
  readonly amount: bigint;
}

const u32 = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
const u64 = (n: bigint) => Uint8Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const varint = (n: number) => (n < 0xfd ? Uint8Array.of(n) : Uint8Array.of(0xfd, n & 0xff, n >>> 8));
const varBytes = (b: Uint8Array) => concatBytes(varint(b.length), b);

/** Serializes a transaction (BIP 144 when any input has a witness). */
export function serializeTx(inputs: readonly RawInput[], outputs: readonly RawOutput[], opts: { version?: number; locktime?: number; witness?: boolean } = {}): Uint8Array {
  const withWitness = opts.witness ?? inputs.some((i) => (i.witness?.length ?? 0) > 0);
  const parts: Uint8Array[] = [u32(opts.version ?? 2)];
  if (withWitness) parts.push(Uint8Array.of(0, 1));
  parts.push(varint(inputs.length));
  for (const i of inputs) parts.push(i.txid, u32(i.vout), varBytes(i.scriptSig ?? new Uint8Array(0)), u32(i.sequence ?? 0xfffffffd));
  parts.push(varint(outputs.length));
  for (const o of outputs) parts.push(u64(o.amount), varBytes(o.script));
  if (withWitness) for (const i of inputs) parts.push(varint(i.witness?.length ?? 0), ...(i.witness ?? []).map(varBytes));
  parts.push(u32(opts.locktime ?? 0));
  return concatBytes(...parts);
}

function scureUnsigned(input: RawInput, outputs: readonly RawOutput[]): Transaction {
  const tx = new Transaction({ version: 2, allowUnknownOutputs: true, allowUnknownInputs: true, disableScriptCheck: true });
  tx.addInput({ txid: Uint8Array.from(input.txid).reverse(), index: input.vout, sequence: input.sequence ?? 0xfffffffd });
  for (const o of outputs) tx.addOutput({ script: o.script, amount: o.amount });
  return tx;
}

/** BIP 143 signature hash of a one-input transaction. */
export function segwitV0Sighash(input: RawInput, outputs: readonly RawOutput[], scriptCode: Uint8Array, amount: bigint, hashType = 1): Uint8Array {
  return scureUnsigned(input, outputs).preimageWitnessV0(0, scriptCode, hashType, amount);
}

/** BIP 341 signature hash (key path) of a one-input transaction. */
export function taprootSighash(input: RawInput, outputs: readonly RawOutput[], prevScript: Uint8Array, amount: bigint, hashType = 0): Uint8Array {
  return scureUnsigned(input, outputs).preimageWitnessV1(0, [prevScript], hashType, [amount]);
}

/** The legacy signature hash (SIGHASH_ALL) of a one-input transaction, computed by hand. */
export function legacySighashAll(input: RawInput, outputs: readonly RawOutput[], scriptCode: Uint8Array): Uint8Array {
  const body = serializeTx([{ ...input, scriptSig: scriptCode, witness: [] }], outputs, { witness: false });
  return sha256d(concatBytes(body, u32(1)));
}

/** A key pair with the public key in every serialization Core parses. */
export interface TestKey {
  readonly priv: Uint8Array;
  readonly compressed: Uint8Array;
  readonly uncompressed: Uint8Array;
  /** Header 6 or 7 matching y's parity. */
  readonly hybrid: Uint8Array;
  readonly xOnly: Uint8Array;
}

export function testKey(priv: Uint8Array): TestKey {
  const uncompressed = secp256k1.getPublicKey(priv, false);
  const hybrid = Uint8Array.from(uncompressed);
  hybrid[0] = (uncompressed[64]! & 1) === 1 ? 7 : 6;
  return { priv, compressed: secp256k1.getPublicKey(priv, true), uncompressed, hybrid, xOnly: schnorr.getPublicKey(priv) };
}

/** A low-S ECDSA signature, DER with the hash type byte. */
export function ecdsaTxSignature(hash: Uint8Array, priv: Uint8Array, hashType = 1): Uint8Array {
  const compact = secp256k1.sign(hash, priv, { prehash: false, lowS: true });
  return concatBytes(signatureToDer(compact), Uint8Array.of(hashType));
}

/** BIP 340 signature (no hash type byte: SIGHASH_DEFAULT). */
export function schnorrSignature(hash: Uint8Array, priv: Uint8Array): Uint8Array {
  return schnorr.sign(hash, priv, new Uint8Array(32));
}

export const big = (bytes: Uint8Array): bigint => bytes.reduce((v, b) => (v << 8n) | BigInt(b), 0n);
export const bytes32 = (v: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));

/** A DER signature (with hash type) of these raw r and s (minimal encoding of each integer). */
export function derOf(r: bigint, s: bigint, hashType = 1): Uint8Array {
  const int = (v: bigint) => {
    let b = bytes32(v);
    while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
    if (b[0]! >= 0x80) b = concatBytes(Uint8Array.of(0), b);
    return concatBytes(Uint8Array.of(0x02, b.length), b);
  };
  const body = concatBytes(int(r), int(s));
  return concatBytes(Uint8Array.of(0x30, body.length), body, Uint8Array.of(hashType));
}

/** r and s of a DER signature with its hash type byte. */
export function rsOf(sigWithType: Uint8Array): { r: bigint; s: bigint } {
  const rLen = sigWithType[3]!;
  const r = big(sigWithType.subarray(4, 4 + rLen));
  const sLen = sigWithType[5 + rLen]!;
  const s = big(sigWithType.subarray(6 + rLen, 6 + rLen + sLen));
  return { r, s };
}

export const N = CURVE_ORDER;
export const P = 2n ** 256n - 2n ** 32n - 977n;

export const p2wpkh = (pub: Uint8Array) => concatBytes(Uint8Array.of(0x00, 0x14), hash160(pub));
export const p2pkh = (pub: Uint8Array) => concatBytes(Uint8Array.of(0x76, 0xa9, 0x14), hash160(pub), Uint8Array.of(0x88, 0xac));
export const push = (data: Uint8Array) => concatBytes(Uint8Array.of(data.length), data);
