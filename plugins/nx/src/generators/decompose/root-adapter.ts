/**
 * Rewrites configuration values written for the old project so they fit a new one: its root
 * path, its name in target references (`lib-c:build`), and `../` runs that climb from the root to
 * the workspace when the new root sits at another depth.
 */
export interface RootAdapter {
  string(value: string): string;
  /** Every string inside a JSON value, adapted; the value is copied. */
  json<T>(value: T): T;
  /** Free text (a JS or JSON config file): roots, quoted names and climbs. */
  text(source: string): string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function depthOf(root: string): number {
  return root === '' ? 0 : root.split('/').length;
}

export function createRootAdapter(from: { root: string; name: string }, to: { root: string; name: string }): RootAdapter {
  // The root as a whole path segment run: libs/lib-c but not libs/lib-c-other or my-libs/lib-c.
  const rootPattern = from.root === '' ? undefined : new RegExp(`(^|[^\\w.@-])${escapeRegExp(from.root)}(?![\\w.-])`, 'g');
  const oldDepth = depthOf(from.root);
  const newDepth = depthOf(to.root);
  const climbPattern = oldDepth > 0 && oldDepth !== newDepth ? new RegExp(`(^|[^./\\w])(?:\\.\\./){${oldDepth}}(?!\\.\\./)`, 'g') : undefined;
  const climb = '../'.repeat(newDepth);
  const adaptPaths = (value: string): string => {
    let result = rootPattern ? value.replace(rootPattern, (_, before: string) => before + to.root) : value;
    if (climbPattern) result = result.replace(climbPattern, (_, before: string) => before + climb);
    return result;
  };
  const adaptString = (value: string): string => {
    if (value === from.name) return to.name;
    if (value.startsWith(`${from.name}:`)) return to.name + value.slice(from.name.length);
    return adaptPaths(value);
  };
  const adaptJson = (value: unknown): unknown => {
    if (typeof value === 'string') return adaptString(value);
    if (Array.isArray(value)) return value.map(adaptJson);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, adaptJson(item)]));
    return value;
  };
  const quotedName = new RegExp(`(['"\`])${escapeRegExp(from.name)}(:[^'"\`]*)?\\1`, 'g');
  return {
    string: adaptString,
    json: <T>(value: T): T => adaptJson(value) as T,
    text: (source) => adaptPaths(source).replace(quotedName, (_, quote: string, rest: string | undefined) => `${quote}${to.name}${rest ?? ''}${quote}`),
  };
}
