/**
 * Appends the index of every set bit of words[from .. to) (bit b of word w is index
 * (w - offset) * 32 + b) to `out` from `count` on, in ascending order; returns the new count.
 * `clear`: zero each word once read (a bitset reused from run to run).
 */
export function appendSetBits(
  words: Int32Array,
  from: number,
  to: number,
  offset: number,
  out: Int32Array,
  count: number,
  clear: boolean,
): number {
  for (let word = from; word < to; word++) {
    let bits = words[word]!;
    if (bits === 0) continue;
    if (clear) words[word] = 0;
    const base = (word - offset) << 5;
    while (bits !== 0) {
      const lowest = bits & -bits;
      bits ^= lowest;
      out[count++] = base + 31 - Math.clz32(lowest);
    }
  }
  return count;
}
