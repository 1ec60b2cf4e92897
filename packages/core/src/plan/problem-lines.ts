/** Problem lines: one per problem, short enough to read, bounded in number. */

export const MAX_PROBLEM_LINES = 50;
const MAX_SNIPPET_LENGTH = 120;

/** Keeps the first `max` lines and says how many more there were. */
export function capProblemLines(lines: readonly string[], max = MAX_PROBLEM_LINES): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `... and ${lines.length - max} more`];
}

/** A value from an untrusted document, quoted and cut to a readable length. */
export function quote(text: string): string {
  const cut = text.length > MAX_SNIPPET_LENGTH ? `${text.slice(0, MAX_SNIPPET_LENGTH)}…` : text;
  return JSON.stringify(cut);
}
