// Node's own CommonJS loader, taken from the realm's real `process`.
//
// Under a module sandbox such as jest's (tests run in vm contexts whose
// `process` and loaders are stand-ins), code compiled into the sandbox is not
// optimized by V8: bitcore's bn.js arithmetic ran about a thousand times slower
// there than in plain Node. Modules loaded through this `require` live in the
// main realm and run at full speed (outside a sandbox it is the ordinary one).
import type { createRequire as CreateRequire } from 'node:module';

interface BuiltinProcess {
  getBuiltinModule(id: 'node:vm'): { runInThisContext(code: string): unknown };
  getBuiltinModule(id: 'node:module'): { createRequire: typeof CreateRequire };
}

const vm = (process as unknown as BuiltinProcess).getBuiltinModule('node:vm');
const realm = vm.runInThisContext('process') as BuiltinProcess;

/** The main realm's Error class (the one bitcore-lib's errors are made with). */
export const realmError = vm.runInThisContext('Error') as ErrorConstructor;

/** `require` resolving from this package, in the main realm. */
export const realmRequire: (id: string) => unknown = realm.getBuiltinModule('node:module').createRequire(import.meta.url);
