const MAX_SNIPPET_LENGTH = 120;

/** A value from the plan or the workspace, quoted and cut to a readable length (as the validator quotes). */
export function quote(text: string): string {
  return JSON.stringify(text.length > MAX_SNIPPET_LENGTH ? `${text.slice(0, MAX_SNIPPET_LENGTH)}…` : text);
}
