import { bech32, bech32m, createBase58check } from '@scure/base';
import { sha256 } from 'ln-crypto';
import type { Network } from 'ln-types';
import { WalletError } from './errors.js';
import { NETWORK_PARAMS } from './network.js';
import { classifyScript, p2pkhScript, p2shScript, witnessProgram, witnessScript } from './scripts.js';

const base58check = createBase58check(sha256);

/**
 * The output script an address pays to: segwit addresses of any witness version
 * (BIP 173 bech32 for version 0, BIP 350 bech32m for 1 to 16) and the base58 P2PKH
 * and P2SH forms, for the given network only.
 * @throws WalletError `invalid_address` for a malformed address or one of another network
 */
export function addressToScript(address: string, network: Network): Uint8Array {
  const params = NETWORK_PARAMS[network];
  if (typeof address !== 'string' || address.length < 14 || address.length > 90) throw new WalletError('invalid_address', 'not an address');
  const lower = address.toLowerCase();
  if (lower.startsWith(`${params.hrp}1`)) return segwitAddressToScript(address, params.hrp);
  if (/^(bc|tb|bcrt)1/.test(lower)) throw new WalletError('invalid_address', `a segwit address of another network (this wallet is on ${network})`);
  let data: Uint8Array;
  try {
    data = base58check.decode(address);
  } catch (cause) {
    throw new WalletError('invalid_address', 'not a valid address', { cause });
  }
  if (data.length !== 21) throw new WalletError('invalid_address', 'a base58 address carries 21 bytes');
  if (data[0] === params.pubKeyHash) return p2pkhScript(data.subarray(1));
  if (data[0] === params.scriptHash) return p2shScript(data.subarray(1));
  throw new WalletError('invalid_address', `an address of another network (this wallet is on ${network})`);
}

function segwitAddressToScript(address: string, hrp: string): Uint8Array {
  let decoded: { prefix: string; words: number[] };
  let checksum: 'bech32' | 'bech32m';
  try {
    decoded = bech32.decode(address as `${string}1${string}`, 90);
    checksum = 'bech32';
  } catch {
    try {
      decoded = bech32m.decode(address as `${string}1${string}`, 90);
      checksum = 'bech32m';
    } catch (cause) {
      throw new WalletError('invalid_address', 'bad bech32 or bech32m checksum', { cause });
    }
  }
  if (decoded.prefix !== hrp) throw new WalletError('invalid_address', `wrong address prefix ${decoded.prefix}`);
  const [version, ...words] = decoded.words;
  if (version === undefined || version > 16) throw new WalletError('invalid_address', 'bad witness version');
  if ((version === 0) !== (checksum === 'bech32')) throw new WalletError('invalid_address', `witness version ${version} must use ${version === 0 ? 'bech32' : 'bech32m'}`);
  let program: Uint8Array;
  try {
    program = bech32.fromWords(words);
  } catch (cause) {
    throw new WalletError('invalid_address', 'bad witness program padding', { cause });
  }
  if (program.length < 2 || program.length > 40) throw new WalletError('invalid_address', 'witness program must be 2 to 40 bytes');
  if (version === 0 && program.length !== 20 && program.length !== 32) throw new WalletError('invalid_address', 'a version 0 program is 20 or 32 bytes');
  return witnessScript(version, program);
}

/**
 * The address of an output script on a network, or `undefined` for a script
 * that has none (OP_RETURN, bare scripts).
 */
export function scriptToAddress(script: Uint8Array, network: Network): string | undefined {
  const params = NETWORK_PARAMS[network];
  const kind = classifyScript(script);
  if (kind === 'p2pkh') return base58check.encode(Uint8Array.of(params.pubKeyHash, ...script.subarray(3, 23)));
  if (kind === 'p2sh') return base58check.encode(Uint8Array.of(params.scriptHash, ...script.subarray(2, 22)));
  const program = kind === undefined || kind === 'op_return' ? undefined : witnessProgram(script);
  if (program === undefined) return undefined;
  const words = [program.version, ...bech32.toWords(program.program)];
  return program.version === 0 ? bech32.encode(params.hrp, words, 90) : bech32m.encode(params.hrp, words, 90);
}
