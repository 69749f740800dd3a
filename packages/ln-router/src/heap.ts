/**
 * A binary min-heap of small integer items (node slots) keyed by a cost,
 * with decrease-key through a position table: no allocation while searching.
 */
export class IndexedMinHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  private readonly pos: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  get length(): number {
    return this.size;
  }

  /** Empties the heap (in time proportional to what it still holds). */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.pos[this.items[i]!] = -1;
    this.size = 0;
  }

  /** Inserts `item` or lowers its key. */
  push(item: number, key: number): void {
    let i = this.pos[item]!;
    if (i < 0) {
      i = this.size++;
    } else if (key >= this.keys[i]!) {
      return;
    }
    this.up(i, item, key);
  }

  /** Removes and returns the item of smallest key (the heap must not be empty). */
  pop(): number {
    const top = this.items[0]!;
    this.pos[top] = -1;
    const last = --this.size;
    if (last > 0) this.down(0, this.items[last]!, this.keys[last]!);
    return top;
  }

  private up(i: number, item: number, key: number): void {
    const items = this.items;
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      items[i] = items[parent]!;
      keys[i] = keys[parent]!;
      this.pos[items[i]!] = i;
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
    this.pos[item] = i;
  }

  private down(i: number, item: number, key: number): void {
    const items = this.items;
    const keys = this.keys;
    const n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      items[i] = items[child]!;
      keys[i] = keys[child]!;
      this.pos[items[i]!] = i;
      i = child;
    }
    items[i] = item;
    keys[i] = key;
    this.pos[item] = i;
  }
}
