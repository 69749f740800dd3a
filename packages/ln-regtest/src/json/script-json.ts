import { toHex } from 'ln-types';
import { scriptToAddress } from '../script/address.js';
import { coreAsm } from '../script/asm.js';
import { classifyScript } from '../script/classify.js';
import { inferDescriptor } from '../script/descriptor.js';
import type { JsonValue } from './serialize.js';

/** bitcoind's ScriptToUniv for an output script: asm, desc, hex, address (when it has one), type. */
export function scriptPubKeyJson(script: Uint8Array): { [key: string]: JsonValue | undefined } {
  return {
    asm: coreAsm(script),
    desc: inferDescriptor(script),
    hex: toHex(script),
    address: scriptToAddress(script),
    type: classifyScript(script).type,
  };
}
