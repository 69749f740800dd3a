import { bech32, bech32m, createBase58check } from '@scure/base';
import { sha256 } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import { isPayToPubkeyHash, isPayToScriptHash, witnessProgram } from './classify.js';

// Regtest addresses: bech32/bech32m with the "bcrt" prefix (BIP 173/350),
// base58check with version 0x6f (P2PKH) and 0xc4 (P2SH).

const HRP = 'bcrt';
const P2PKH_VERSION = 0x6f;
const P2SH_VERSION = 0xc4;
const base58check = createBase58check(sha256);

/** The regtest address of an output script, or undefined when it has none. */
export function scriptToAddress(script: Uint8Array): string | undefined {
  if (isPayToPubkeyHash(script)) return base58check.encode(concatBytes(Uint8Array.of(P2PKH_VERSION), script.subarray(3, 23)));
  if (isPayToScriptHash(script)) return base58check.encode(concatBytes(Uint8Array.of(P2SH_VERSION), script.subarray(2, 22)));
  const wp = witnessProgram(script);
  if (wp === undefined) return undefined;
  if (wp.version === 0 && wp.program.length !== 20 && wp.program.length !== 32) return undefined;
  const words = [wp.version, ...bech32.toWords(wp.program)];
  return wp.version === 0 ? bech32.encode(HRP, words, 90) : bech32m.encode(HRP, words, 90);
}

/** The output script of a regtest address, or undefined when it is not one. */
export function addressToScript(address: string): Uint8Array | undefined {
  if (/^bcrt1/i.test(address)) return segwitAddressToScript(address);
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch {
    return undefined;
  }
  if (payload.length !== 21) return undefined;
  const hash = payload.subarray(1);
  if (payload[0] === P2PKH_VERSION) return concatBytes(Uint8Array.of(0x76, 0xa9, 0x14), hash, Uint8Array.of(0x88, 0xac));
  if (payload[0] === P2SH_VERSION) return concatBytes(Uint8Array.of(0xa9, 0x14), hash, Uint8Array.of(0x87));
  return undefined;
}

function segwitAddressToScript(address: string): Uint8Array | undefined {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return undefined;
  const lower = address.toLowerCase();
  for (const codec of [bech32, bech32m]) {
    let decoded: { prefix: string; words: number[] };
    try {
      decoded = codec.decode(lower as `${string}1${string}`, 90);
    } catch {
      continue;
    }
    if (decoded.prefix !== HRP || decoded.words.length === 0) return undefined;
    const version = decoded.words[0]!;
    if (version > 16) return undefined;
    // BIP 350: version 0 uses bech32, every later version bech32m.
    if ((version === 0) !== (codec === bech32)) return undefined;
    let program: Uint8Array;
    try {
      program = Uint8Array.from(codec.fromWords(decoded.words.slice(1)));
    } catch {
      return undefined;
    }
    if (program.length < 2 || program.length > 40) return undefined;
    if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
    return concatBytes(Uint8Array.of(version === 0 ? 0 : 0x50 + version, program.length), program);
  }
  return undefined;
}
