/**
 * Why a path from a plan cannot be trusted as a workspace-relative file path, or undefined when
 * it can: plans come from agents, and a path is where a generator will write.
 */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (path.includes('\\')) return 'contains a backslash; use / as the separator';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute; use a path relative to the workspace root';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(path)) return 'contains a control character';
  const segments = path.split('/');
  if (segments.includes('..')) return 'contains ".."; it must stay inside the project';
  if (segments.includes('.') || segments.includes('')) return 'is not normalized (empty or "." segment)';
  return undefined;
}

/** True when `path` is `directory` itself or inside it (both workspace-relative; `''` is the workspace). */
export function isInsideDirectory(path: string, directory: string): boolean {
  return directory === '' || path === directory || path.startsWith(`${directory}/`);
}

/** `./libs/a/`, `libs/a` -> `libs/a`; `.`, `./`, `` -> `` (the workspace root). */
export function normalizeProjectRoot(root: string): string {
  const trimmed = root.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}
