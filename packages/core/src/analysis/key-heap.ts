// A binary heap in two parallel arrays, keys and tasks, the smallest key at the top: the
// scheduler's ready heap for the few tasks whose place in Nx's order changes with the run
// (around a split task). Free functions over typed arrays, so the scheduler's loop inlines them.

/** Puts (key, task) at `start` or below it, in a heap of `count` entries. */
export function siftDown(keys: Float64Array, tasks: Int32Array, count: number, start: number, key: number, task: number): void {
  let position = start;
  for (;;) {
    let child = 2 * position + 1;
    if (child >= count) break;
    let childKey = keys[child]!;
    const right = child + 1;
    if (right < count && keys[right]! < childKey) {
      child = right;
      childKey = keys[right]!;
    }
    if (!(childKey < key)) break;
    keys[position] = childKey;
    tasks[position] = tasks[child]!;
    position = child;
  }
  keys[position] = key;
  tasks[position] = task;
}

/** Puts (key, task) at `start` (the heap's new last entry) or above it. */
export function siftUp(keys: Float64Array, tasks: Int32Array, start: number, key: number, task: number): void {
  let position = start;
  while (position > 0) {
    const parent = (position - 1) >> 1;
    const parentKey = keys[parent]!;
    if (!(key < parentKey)) break;
    keys[position] = parentKey;
    tasks[position] = tasks[parent]!;
    position = parent;
  }
  keys[position] = key;
  tasks[position] = task;
}
