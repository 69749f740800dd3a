// Walks a script into its operations without interpreting them.

/** One operation of a script: an opcode and, for pushes, the bytes pushed. */
export interface ScriptOp {
  readonly op: number;
  /** The pushed bytes, for push opcodes (0x00-0x4e). */
  readonly data?: Uint8Array;
}

/** The operations of a script; `truncated` when a push runs past the end (the rest is not parsed). */
export function parseScript(script: Uint8Array): { ops: ScriptOp[]; truncated: boolean } {
  const ops: ScriptOp[] = [];
  let at = 0;
  while (at < script.length) {
    const op = script[at++]!;
    if (op > 0x4e) {
      ops.push({ op });
      continue;
    }
    let length = op;
    let width = 0;
    if (op === 0x4c) width = 1;
    else if (op === 0x4d) width = 2;
    else if (op === 0x4e) width = 4;
    if (width > 0) {
      if (at + width > script.length) return { ops, truncated: true };
      length = 0;
      for (let i = width - 1; i >= 0; i--) length = length * 256 + script[at + i]!;
      at += width;
    }
    if (at + length > script.length) return { ops, truncated: true };
    ops.push({ op, data: script.subarray(at, at + length) });
    at += length;
  }
  return { ops, truncated: false };
}

/** True when every operation is a push (OP_0..OP_16, OP_1NEGATE and data pushes), as Core's IsPushOnly. */
export function isPushOnly(script: Uint8Array): boolean {
  const { ops, truncated } = parseScript(script);
  if (truncated) return false;
  return ops.every((o) => o.op <= 0x60);
}
