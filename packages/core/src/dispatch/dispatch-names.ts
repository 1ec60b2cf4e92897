/**
 * Names of a dispatch: its id (run log file name) and its branch. Both carry the task so a
 * `git branch` listing says what each one is for, and a short random id so dispatches of the
 * same task never collide.
 */

/** `lib-a:test` -> `lib-a-test`; `@scope/ui:build` -> `scope-ui-build`: safe in a ref name and a file name. */
export function dispatchSlug(task: string): string {
  const slug = task
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'task' : slug;
}

export function requireShortId(shortId: string): string {
  if (!/^[a-z0-9]{4,16}$/.test(shortId)) throw new Error(`shortId "${shortId}" must be 4 to 16 lowercase letters or digits`);
  return shortId;
}

/** `lib-a-test-1a2b3c`: the run log is <historyDir>/dispatch/<id>.json. */
export function dispatchId(task: string, shortId: string): string {
  return `${dispatchSlug(task)}-${requireShortId(shortId)}`;
}

/** `sixty/lib-a-test-1a2b3c`. */
export function dispatchBranchName(task: string, shortId: string): string {
  return `sixty/${dispatchId(task, shortId)}`;
}
