import { toHex } from 'ln-types';
import { scriptToAddress } from './address.js';
import { classifyScript } from './classify.js';
import { parseScript } from './parse.js';

// Output descriptors as bitcoind infers them for a bare scriptPubKey (no keys
// known): addr(...) for scripts with an address, pk(...) for P2PK, multi(...)
// for bare multisig, raw(...) otherwise; each with its BIP 380 checksum.

const INPUT_CHARSET = '0123456789()[],\'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const CHECKSUM_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0xf5dee51989n, 0xa9fdca3312n, 0x1bab10e32dn, 0x3706b1677an, 0x644d626ffdn];

function polymod(c: bigint, value: number): bigint {
  const c0 = c >> 35n;
  let next = ((c & 0x7ffffffffn) << 5n) ^ BigInt(value);
  for (let i = 0; i < 5; i++) if ((c0 >> BigInt(i)) & 1n) next ^= GENERATOR[i]!;
  return next;
}

/** The BIP 380 checksum of a descriptor. */
export function descriptorChecksum(descriptor: string): string {
  let c = 1n;
  let cls = 0;
  let clsCount = 0;
  for (const ch of descriptor) {
    const pos = INPUT_CHARSET.indexOf(ch);
    if (pos < 0) return '';
    c = polymod(c, pos & 31);
    cls = cls * 3 + (pos >> 5);
    if (++clsCount === 3) {
      c = polymod(c, cls);
      cls = 0;
      clsCount = 0;
    }
  }
  if (clsCount > 0) c = polymod(c, cls);
  for (let j = 0; j < 8; j++) c = polymod(c, 0);
  c ^= 1n;
  let out = '';
  for (let j = 0; j < 8; j++) out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
  return out;
}

/** The descriptor bitcoind infers for an output script, with its checksum. */
export function inferDescriptor(script: Uint8Array): string {
  const address = scriptToAddress(script);
  let body: string;
  const kind = classifyScript(script);
  if (kind.type === 'pubkey') body = `pk(${toHex(parseScript(script).ops[0]!.data!)})`;
  else if (address !== undefined) body = `addr(${address})`;
  else if (kind.type === 'multisig') {
    const keys = parseScript(script).ops.slice(1, -2).map((o) => toHex(o.data!));
    body = `multi(${kind.required},${keys.join(',')})`;
  } else body = `raw(${toHex(script)})`;
  return `${body}#${descriptorChecksum(body)}`;
}
