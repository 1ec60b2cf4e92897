/** A bin of items and the sum of their costs. */
export interface PackedBin<T> {
  items: T[];
  loadMs: number;
}

/**
 * Longest processing time first: each item, in the order given (longest first, ties broken by
 * the caller's key, so equal inputs pack equally), into the least-loaded bin, the lowest index
 * on ties. `bins` is a count of empty bins, or bins already holding items, which are filled
 * further in place. A binary heap keeps it O(n log k). The one packer of test shards, the
 * shards' new files and CI jobs.
 */
export function packLongestFirst<T>(sorted: readonly T[], bins: number | PackedBin<T>[], costOf: (item: T) => number): PackedBin<T>[] {
  const packed: PackedBin<T>[] = typeof bins === 'number' ? Array.from({ length: bins }, () => ({ items: [], loadMs: 0 })) : bins;
  const count = packed.length;
  if (count === 0) return packed;
  const less = (a: number, b: number): boolean => {
    const loadA = (packed[a] as PackedBin<T>).loadMs;
    const loadB = (packed[b] as PackedBin<T>).loadMs;
    return loadA < loadB || (loadA === loadB && a < b);
  };
  const heap = Array.from({ length: count }, (_, index) => index);
  const siftDown = (from: number): void => {
    for (let at = from; ; ) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < count && less(heap[left] as number, heap[smallest] as number)) smallest = left;
      if (right < count && less(heap[right] as number, heap[smallest] as number)) smallest = right;
      if (smallest === at) return;
      [heap[at], heap[smallest]] = [heap[smallest] as number, heap[at] as number];
      at = smallest;
    }
  };
  for (let at = (count >> 1) - 1; at >= 0; at--) siftDown(at); // bins given with loads
  for (const item of sorted) {
    const bin = packed[heap[0] as number] as PackedBin<T>;
    bin.items.push(item);
    bin.loadMs += costOf(item);
    siftDown(0);
  }
  return packed;
}
