import fc from 'fast-check';
import { check, checkKeys, ConformanceFailure } from '../assert.js';
import type { ConformanceCase } from '../case.js';

type Op =
  | { readonly kind: 'write'; readonly ns: number; readonly key: string; readonly value: Uint8Array }
  | { readonly kind: 'remove'; readonly ns: number; readonly key: string; readonly lazy: boolean }
  | { readonly kind: 'read'; readonly ns: number; readonly key: string }
  | { readonly kind: 'list'; readonly ns: number };

const nsArb = fc.integer({ min: 0, max: 2 });
const keyArb = fc.constantFrom('a', 'b', 'A', 'a_b');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), ns: nsArb, key: keyArb, value: fc.uint8Array({ maxLength: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), ns: nsArb, key: keyArb, lazy: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), ns: nsArb, key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('list' as const), ns: nsArb }) },
);
// Operations come in batches issued together (no await in between), awaited together.
const programArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

export const modelCases: ConformanceCase[] = [
  {
    name: 'behaves like a map under random batches of operations issued together (fast-check model)',
    async run(scope) {
      const store = await scope.create();
      let runId = 0;
      await fc.assert(
        fc.asyncProperty(programArb, async (program) => {
          runId++;
          // Three namespace pairs: the primary one (cleared first) and two fresh ones.
          const pairs: [string, string][] = [
            ['', ''],
            [`model${runId}`, ''],
            [`model${runId}`, 'x'],
          ];
          for (const key of await store.list('', '')) await store.remove('', '', key);
          const model = pairs.map(() => new Map<string, Uint8Array>());
          for (const batch of program) {
            // A read or list must reflect every operation issued before it;
            // operations issued after it in the same batch run concurrently
            // with it, so it may reflect any prefix of those too (per key).
            const writes: Promise<void>[] = [];
            const answers: Promise<void>[] = [];
            batch.forEach((op, at) => {
              const [p, s] = pairs[op.ns]!;
              const state = model[op.ns]!;
              if (op.kind === 'write') {
                writes.push(store.write(p, s, op.key, op.value));
                state.set(op.key, op.value);
              } else if (op.kind === 'remove') {
                writes.push(store.remove(p, s, op.key, op.lazy));
                state.delete(op.key);
              } else if (op.kind === 'read') {
                const allowed = possibleStates(state.get(op.key), batch, at, op.ns, op.key);
                answers.push(store.read(p, s, op.key).then((v) => checkOneOf(v, allowed, `read(${JSON.stringify(p)}, ${JSON.stringify(s)}, ${op.key})`)));
              } else {
                const keys = new Set([...state.keys(), ...batch.slice(at + 1).flatMap((o) => (o.ns === op.ns && o.kind === 'write' ? [o.key] : []))]);
                const mustHave = [...keys].filter((k) => possibleStates(state.get(k), batch, at, op.ns, k).every((v) => v !== undefined));
                answers.push(
                  store.list(p, s).then((listed) => {
                    const what = `list(${JSON.stringify(p)}, ${JSON.stringify(s)})`;
                    check(new Set(listed).size === listed.length, `${what} repeats a key: [${listed.join(', ')}]`);
                    for (const k of listed) check(keys.has(k), `${what} gives ${k}, which no operation issued before or with it wrote: [${listed.join(', ')}]`);
                    for (const k of mustHave) check(listed.includes(k), `${what} misses ${k}: [${listed.join(', ')}]`);
                  }),
                );
              }
            });
            await Promise.all([...writes, ...answers]);
          }
          for (const [i, [p, s]] of pairs.entries()) checkKeys(await store.list(p, s), [...model[i]!.keys()], `final list(${JSON.stringify(p)}, ${JSON.stringify(s)})`);
        }),
        { numRuns: scope.sizes.modelRuns },
      );
    },
  },
];

/** The states of one key a read at position `at` of the batch may see. */
function possibleStates(now: Uint8Array | undefined, batch: readonly Op[], at: number, ns: number, key: string): (Uint8Array | undefined)[] {
  const out = [now];
  for (const op of batch.slice(at + 1)) {
    if (op.ns !== ns || !('key' in op) || op.key !== key) continue;
    if (op.kind === 'write') out.push(op.value);
    else if (op.kind === 'remove') out.push(undefined);
  }
  return out;
}

function checkOneOf(actual: Uint8Array | undefined, allowed: readonly (Uint8Array | undefined)[], what: string): void {
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
    a === undefined || b === undefined ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);
  if (!allowed.some((v) => same(actual, v))) {
    const show = (v: Uint8Array | undefined) => (v === undefined ? 'missing' : `[${[...v].join(',')}]`);
    throw new ConformanceFailure(`${what} gave ${show(actual)}; allowed: ${allowed.map(show).join(' or ')}`);
  }
}
