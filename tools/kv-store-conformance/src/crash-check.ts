// What a store must hold after the process writing to it was killed: for
// each key, the state left by its last write or remove whose promise resolved,
// or by one issued after it (in flight at the kill), never a torn value and
// never an older state. Browser-safe: the IndexedDB test kills the browser.
import type { KVStore } from 'ln-types';
import { ConformanceFailure } from './assert.js';
import { readTaggedValue } from './values.js';

/** One operation of the killed writer, in issue order per key. */
export interface CrashOp {
  readonly keyIndex: number;
  readonly seq: number;
  readonly kind: 'write' | 'remove';
  acked: boolean;
}

/** Where crash key `index` lives: the empty primary namespace and a named one, as a node uses them. */
export function crashKeyLocation(keyIndex: number): readonly [string, string, string] {
  return keyIndex === 0 ? ['', '', 'manager'] : ['monitors', '', `chan_${keyIndex}`];
}

/** Bytes of the value written with `seq` (two sizes, so a value cut at the other size is caught). */
export function crashValueLength(seq: number, valueBytes: number): number {
  return seq % 2 === 0 ? valueBytes : (valueBytes >> 2) + 13;
}

/**
 * The writer's log, fed line by line: `I <key> <seq> <w|d>` before an
 * operation is issued, `A <key> <seq>` once its promise resolved.
 */
export class CrashLog {
  readonly #ops = new Map<number, CrashOp[]>();
  readonly #bySeq = new Map<number, CrashOp>();
  issued = 0;
  acked = 0;

  /** Feeds one line of the writer's output (other lines are ignored). */
  line(text: string): void {
    const parts = text.trim().split(' ');
    if (parts[0] === 'I' && parts.length === 4) {
      const op: CrashOp = { keyIndex: Number(parts[1]), seq: Number(parts[2]), kind: parts[3] === 'd' ? 'remove' : 'write', acked: false };
      let list = this.#ops.get(op.keyIndex);
      if (list === undefined) this.#ops.set(op.keyIndex, (list = []));
      list.push(op);
      this.#bySeq.set(op.seq, op);
      this.issued++;
    } else if (parts[0] === 'A' && parts.length === 3) {
      const op = this.#bySeq.get(Number(parts[2]));
      if (op === undefined) throw new ConformanceFailure(`the writer acknowledged ${text}, which it never issued`);
      op.acked = true;
      this.acked++;
    }
  }

  /** Operations issued and not acknowledged when the writer died. */
  get inFlight(): number {
    return this.issued - this.acked;
  }

  /** The highest sequence issued (the next round starts above it). */
  get maxSeq(): number {
    let max = 0;
    for (const seq of this.#bySeq.keys()) max = Math.max(max, seq);
    return max;
  }

  opsOf(keyIndex: number): readonly CrashOp[] {
    return this.#ops.get(keyIndex) ?? [];
  }

  keyIndexes(): number[] {
    return [...this.#ops.keys()];
  }
}

/** A key's state: absent, or the tagged value with this sequence. */
export type KeyState = { readonly seq: number } | 'absent';

/** What {@link checkAfterCrash} found. */
export interface CrashCheck {
  readonly keys: number;
  readonly issued: number;
  readonly acked: number;
  readonly inFlight: number;
  /** Keys whose final state came from an operation in flight at the kill. */
  readonly keysFromInFlight: number;
  /** Each key's state now (the next round's starting states). */
  readonly states: ReadonlyMap<number, KeyState>;
}

/**
 * Checks a store reopened after the writer was killed, against the writer's
 * log and the key states before this round (`before`, absent when missing).
 * @throws ConformanceFailure naming the first key that breaks the rules
 */
export async function checkAfterCrash(store: KVStore, log: CrashLog, before: ReadonlyMap<number, KeyState> = new Map()): Promise<CrashCheck> {
  const states = new Map<number, KeyState>(before);
  let keysFromInFlight = 0;
  const expectedPresent = new Map<string, Set<string>>();
  for (const keyIndex of new Set([...log.keyIndexes(), ...before.keys()])) {
    const [p, s, k] = crashKeyLocation(keyIndex);
    const ops = log.opsOf(keyIndex);
    let lastAcked = -1;
    ops.forEach((op, i) => {
      if (op.acked) lastAcked = i;
    });
    // Allowed: the state after the last acknowledged operation (or the state
    // before the round when none was), or after any operation issued later.
    const allowed: KeyState[] = [];
    if (lastAcked < 0) allowed.push(before.get(keyIndex) ?? 'absent');
    for (let i = Math.max(lastAcked, 0); i < ops.length; i++) allowed.push(ops[i]!.kind === 'remove' ? 'absent' : { seq: ops[i]!.seq });
    const value = await store.read(p, s, k);
    let state: KeyState;
    if (value === undefined) state = 'absent';
    else {
      const tag = readTaggedValue(value);
      if ('torn' in tag) throw new ConformanceFailure(`key ${k} holds a torn value after the crash: ${tag.torn}`);
      if (tag.keyIndex !== keyIndex) throw new ConformanceFailure(`key ${k} holds the value of key ${tag.keyIndex}`);
      state = { seq: tag.seq };
    }
    const same = (a: KeyState, b: KeyState) => (a === 'absent' || b === 'absent' ? a === b : a.seq === b.seq);
    if (!allowed.some((a) => same(a, state))) {
      const show = (x: KeyState) => (x === 'absent' ? 'absent' : `seq ${x.seq}`);
      const last = lastAcked >= 0 ? `its last acknowledged operation was ${ops[lastAcked]!.kind} seq ${ops[lastAcked]!.seq}` : 'no operation was acknowledged';
      throw new ConformanceFailure(`key ${k} is ${show(state)} after the crash, but ${last}; allowed: ${allowed.map(show).join(', ')}`);
    }
    if (lastAcked < ops.length - 1 && !same(state, lastAcked >= 0 ? allowed[0]! : (before.get(keyIndex) ?? 'absent'))) keysFromInFlight++;
    states.set(keyIndex, state);
    const ns = `${p}/${s}`;
    if (!expectedPresent.has(ns)) expectedPresent.set(ns, new Set());
    if (state !== 'absent') expectedPresent.get(ns)!.add(k);
  }
  for (const [ns, keys] of expectedPresent) {
    const [p, s] = ns.split('/') as [string, string];
    const listed = (await store.list(p, s)).sort();
    const expected = [...keys].sort();
    if (listed.join(',') !== expected.join(',')) {
      throw new ConformanceFailure(`list(${JSON.stringify(p)}, ${JSON.stringify(s)}) after the crash gives [${listed.join(', ')}], expected [${expected.join(', ')}]`);
    }
  }
  return { keys: states.size, issued: log.issued, acked: log.acked, inFlight: log.inFlight, keysFromInFlight, states };
}
