/**
 * Tasks waiting in numbered groups: the lowest non-empty group first, first in first out within
 * a group. One bit per non-empty group, with levels of 32-bit words above it (a bit per
 * non-zero word below), finds the first group in a few word operations: the scheduler's ready
 * queue when a task's place in Nx's order is known before the run (its group), which makes
 * pushing and taking a task constant time instead of a heap's log n.
 */
export class GroupQueue {
  /** levels[0]: one bit per group; levels[k + 1]: one bit per non-zero word of levels[k]; the last has one word. */
  private readonly levels: Int32Array[] = [];
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly next: Int32Array;

  constructor(groupCount: number, taskCapacity: number) {
    let words = Math.max(1, Math.ceil(groupCount / 32));
    for (;;) {
      this.levels.push(new Int32Array(words));
      if (words === 1) break;
      words = Math.ceil(words / 32);
    }
    this.head = new Int32Array(Math.max(1, groupCount)).fill(-1);
    this.tail = new Int32Array(Math.max(1, groupCount)).fill(-1);
    this.next = new Int32Array(Math.max(1, taskCapacity));
  }

  push(group: number, task: number): void {
    this.next[task] = -1;
    const last = this.tail[group]!;
    this.tail[group] = task;
    if (last !== -1) {
      this.next[last] = task;
      return;
    }
    this.head[group] = task;
    const levels = this.levels;
    let index = group;
    for (let level = 0; level < levels.length; level++) {
      const words = levels[level]!;
      const word = index >> 5;
      const before = words[word]!;
      words[word] = before | (1 << (index & 31));
      if (before !== 0) return; // the levels above already mark this word
      index = word;
    }
  }

  /** The lowest non-empty group, or -1 when the queue is empty. */
  firstGroup(): number {
    const levels = this.levels;
    let index = 0;
    for (let level = levels.length - 1; level >= 0; level--) {
      const word = levels[level]![index]!;
      if (word === 0) return -1; // only the top word can be zero
      index = (index << 5) + 31 - Math.clz32(word & -word);
    }
    return index;
  }

  /** The task first in line in a non-empty group. */
  peek(group: number): number {
    return this.head[group]!;
  }

  /**
   * Writes every task into `out` in the order shift would take them, and empties the queue:
   * one pass over the marked words instead of a search per task.
   */
  drainInto(out: Int32Array): number {
    const levels = this.levels;
    let count = 0;
    if (levels.length === 1) return this.drainWord(0, out, count);
    // levels[1] marks the non-zero words of levels[0]; visit those in order
    const marks = levels[1]!;
    for (let mark = 0; mark < marks.length; mark++) {
      let bits = marks[mark]!;
      while (bits !== 0) {
        const lowest = bits & -bits;
        bits ^= lowest;
        count = this.drainWord((mark << 5) + 31 - Math.clz32(lowest), out, count);
      }
    }
    for (let level = 1; level < levels.length; level++) levels[level]!.fill(0);
    return count;
  }

  /** Drains the groups of one word of levels[0] into out from `count` on; returns the new count. */
  private drainWord(word: number, out: Int32Array, count: number): number {
    const words = this.levels[0]!;
    const { head, tail, next } = this;
    let bits = words[word]!;
    words[word] = 0;
    while (bits !== 0) {
      const lowest = bits & -bits;
      bits ^= lowest;
      const group = (word << 5) + 31 - Math.clz32(lowest);
      for (let task = head[group]!; task !== -1; task = next[task]!) out[count++] = task;
      head[group] = -1;
      tail[group] = -1;
    }
    return count;
  }

  /** Takes the task first in line in a non-empty group. */
  shift(group: number): number {
    const task = this.head[group]!;
    const following = this.next[task]!;
    this.head[group] = following;
    if (following !== -1) return task;
    this.tail[group] = -1;
    const levels = this.levels;
    let index = group;
    for (let level = 0; level < levels.length; level++) {
      const words = levels[level]!;
      const word = index >> 5;
      const after = words[word]! & ~(1 << (index & 31));
      words[word] = after;
      if (after !== 0) break; // the word still has groups: the levels above stay marked
      index = word;
    }
    return task;
  }
}
