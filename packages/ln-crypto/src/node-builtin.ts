// Finds Node's crypto module without a static import, so bundlers targeting
// browsers see no `node:` import and this package stays browser-clean. Node 20.16+,
// Deno and Bun provide `process.getBuiltinModule`; elsewhere it is absent.
import type * as NodeCrypto from 'node:crypto';

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/** Node's crypto module when the runtime has it, else `undefined`. */
export function nodeCryptoModule(): typeof NodeCrypto | undefined {
  const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    const mod = proc.getBuiltinModule('node:crypto') as typeof NodeCrypto | undefined;
    return mod !== undefined && typeof mod.createCipheriv === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
}

/** A zero-copy Uint8Array view of a Node Buffer, so no Buffer escapes into public results. */
export function asUint8Array(view: Uint8Array): Uint8Array {
  return view.constructor === Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
