/**
 * A binary heap of small non-negative integers (task or worker indices) ordered by the
 * caller's `comesFirst`. Indices instead of objects keep the scheduler allocation-free.
 */
export class IndexHeap {
  private items: Int32Array;
  private count = 0;

  constructor(
    capacity: number,
    /** True when `a` must come out of the heap before `b`. Must be a strict total order. */
    private readonly comesFirst: (a: number, b: number) => boolean,
  ) {
    this.items = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  /** The first index; only valid when size > 0. */
  peek(): number {
    return this.items[0]!;
  }

  push(value: number): void {
    if (this.count === this.items.length) this.grow();
    const items = this.items;
    let position = this.count++;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentValue = items[parent]!;
      if (!this.comesFirst(value, parentValue)) break;
      items[position] = parentValue;
      position = parent;
    }
    items[position] = value;
  }

  /** Appends without ordering; call heapify() before the next peek or pop. */
  append(value: number): void {
    if (this.count === this.items.length) this.grow();
    this.items[this.count++] = value;
  }

  /** Orders appended values in O(n) (Floyd), cheaper than n pushes for a large first batch. */
  heapify(): void {
    for (let position = (this.count >> 1) - 1; position >= 0; position--) this.siftDown(position, this.items[position]!);
  }

  /** Removes and returns the first index; only valid when size > 0. */
  pop(): number {
    const first = this.items[0]!;
    const last = this.items[--this.count]!;
    if (this.count > 0) this.siftDown(0, last);
    return first;
  }

  private siftDown(start: number, value: number): void {
    const items = this.items;
    const count = this.count;
    let position = start;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      let childValue = items[left]!;
      if (right < count) {
        const rightValue = items[right]!;
        if (this.comesFirst(rightValue, childValue)) {
          child = right;
          childValue = rightValue;
        }
      }
      if (!this.comesFirst(childValue, value)) break;
      items[position] = childValue;
      position = child;
    }
    items[position] = value;
  }

  private grow(): void {
    const grown = new Int32Array(this.items.length * 2);
    grown.set(this.items);
    this.items = grown;
  }
}
