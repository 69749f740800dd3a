import { toHex } from 'ln-types';
import { coreOpName, esploraOpName } from './opcodes.js';
import { parseScript } from './parse.js';

const SIGHASH_NAMES: Record<number, string> = {
  0x01: 'ALL',
  0x02: 'NONE',
  0x03: 'SINGLE',
  0x81: 'ALL|ANYONECANPAY',
  0x82: 'NONE|ANYONECANPAY',
  0x83: 'SINGLE|ANYONECANPAY',
};

// Core's IsValidSignatureEncoding (BIP 66 strict DER, with the sighash byte).
function isDerSignature(sig: Uint8Array): boolean {
  if (sig.length < 9 || sig.length > 73) return false;
  if (sig[0] !== 0x30 || sig[1] !== sig.length - 3) return false;
  const lenR = sig[3]!;
  if (5 + lenR >= sig.length) return false;
  const lenS = sig[5 + lenR]!;
  if (lenR + lenS + 7 !== sig.length) return false;
  if (sig[2] !== 0x02 || lenR === 0 || (sig[4]! & 0x80) !== 0) return false;
  if (lenR > 1 && sig[4] === 0 && (sig[5]! & 0x80) === 0) return false;
  if (sig[lenR + 4] !== 0x02 || lenS === 0 || (sig[lenR + 6]! & 0x80) !== 0) return false;
  if (lenS > 1 && sig[lenR + 6] === 0 && (sig[lenR + 7]! & 0x80) === 0) return false;
  return true;
}

// A push of up to 4 bytes read as a script number (Core's CScriptNum, not minimal-checked).
function scriptNumber(data: Uint8Array): string {
  if (data.length === 0) return '0';
  let value = 0n;
  for (let i = data.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]!);
  const top = 1n << BigInt(8 * data.length - 1);
  if ((value & top) !== 0n) value = -(value & (top - 1n));
  return value.toString();
}

/**
 * Bitcoin Core's ScriptToAsmStr: small pushes as numbers, other pushes as hex,
 * opcodes by name; with `decodeSighash` (scriptSigs), signatures end in `[ALL]` etc.
 */
export function coreAsm(script: Uint8Array, decodeSighash = false): string {
  const { ops, truncated } = parseScript(script);
  const parts = ops.map(({ op, data }) => {
    if (data === undefined) return coreOpName(op);
    if (op === 0) return '0';
    if (data.length <= 4) return scriptNumber(data);
    if (decodeSighash && isDerSignature(data)) {
      const name = SIGHASH_NAMES[data[data.length - 1]!];
      if (name !== undefined) return `${toHex(data.subarray(0, data.length - 1))}[${name}]`;
    }
    return toHex(data);
  });
  if (truncated) parts.push('[error]');
  return parts.join(' ');
}

/** rust-bitcoin's script display, as Esplora's `scriptpubkey_asm` / `scriptsig_asm` give it. */
export function esploraAsm(script: Uint8Array): string {
  const { ops, truncated } = parseScript(script);
  const parts = ops.map(({ op, data }) => {
    if (data === undefined || op === 0) return esploraOpName(op);
    return `${esploraOpName(op)} ${toHex(data)}`;
  });
  if (truncated) parts.push('<push past end>');
  return parts.join(' ');
}
