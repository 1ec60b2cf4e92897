/** `1 file`, `3 files`: a count and its noun, plural by adding s. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
