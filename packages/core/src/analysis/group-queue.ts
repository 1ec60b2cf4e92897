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
