import { concatBytes } from 'ln-types';

/** The opcodes BOLT 3 scripts use. */
export const OP = {
  OP_0: 0x00,
  OP_PUSHDATA1: 0x4c,
  OP_1: 0x51,
  OP_2: 0x52,
  OP_16: 0x60,
  OP_IF: 0x63,
  OP_NOTIF: 0x64,
  OP_ELSE: 0x67,
  OP_ENDIF: 0x68,
  OP_VERIFY: 0x69,
  OP_RETURN: 0x6a,
  OP_IFDUP: 0x73,
  OP_DROP: 0x75,
  OP_DUP: 0x76,
  OP_SWAP: 0x7c,
  OP_SIZE: 0x82,
  OP_EQUAL: 0x87,
  OP_EQUALVERIFY: 0x88,
  OP_HASH160: 0xa9,
  OP_CHECKSIG: 0xac,
  OP_CHECKSIGVERIFY: 0xad,
  OP_CHECKMULTISIG: 0xae,
  OP_CHECKLOCKTIMEVERIFY: 0xb1,
  OP_CHECKSEQUENCEVERIFY: 0xb2,
} as const;

/** One script element: an opcode (number tagged `op`), a data push or a minimally-encoded number. */
export type ScriptPart = { op: number } | Uint8Array | bigint;

/** Minimal CScriptNum encoding of a non-negative integer (little-endian, sign bit kept clear). */
export function scriptNumBytes(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v > 0n) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  if (out.length > 0 && (out[out.length - 1]! & 0x80) !== 0) out.push(0);
  return Uint8Array.from(out);
}

/** A minimal push of `data` (direct push up to 75 bytes, OP_PUSHDATA1 up to 255). */
export function pushData(data: Uint8Array): Uint8Array {
  if (data.length <= 75) return concatBytes(Uint8Array.of(data.length), data);
  if (data.length <= 255) return concatBytes(Uint8Array.of(OP.OP_PUSHDATA1, data.length), data);
  return concatBytes(Uint8Array.of(0x4d, data.length & 0xff, data.length >> 8), data);
}

/** Assembles a script from opcodes, pushes and numbers (small numbers become OP_0..OP_16, as consensus minimal-push rules require). */
export function script(...parts: ScriptPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    if (part instanceof Uint8Array) chunks.push(pushData(part));
    else if (typeof part === 'bigint') {
      if (part === 0n) chunks.push(Uint8Array.of(OP.OP_0));
      else if (part >= 1n && part <= 16n) chunks.push(Uint8Array.of(OP.OP_1 + Number(part) - 1));
      else chunks.push(pushData(scriptNumBytes(part)));
    } else chunks.push(Uint8Array.of(part.op));
  }
  return concatBytes(...chunks);
}

/** Shorthand for an opcode part. */
export function op(code: number): { op: number } {
  return { op: code };
}
