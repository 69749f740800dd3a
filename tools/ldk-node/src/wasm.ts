import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ldk from 'lightningdevkit';

let initialized: Promise<void> | undefined;

/**
 * Loads LDK's WebAssembly module, once per process. Every user of `lightningdevkit`
 * in the process must go through this: the bindings keep one module instance, and a
 * second `initializeWasm*` call would replace the instance under live objects.
 */
export function initLdk(): Promise<void> {
  initialized ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('lightningdevkit/liblightningjs.wasm'));
    // The bindings announce themselves with a console.log; keep test output clean.
    const log = console.log;
    console.log = () => undefined;
    try {
      await ldk.initializeWasmFromBinary(new Uint8Array(wasm));
    } finally {
      console.log = log;
    }
  })();
  return initialized;
}
