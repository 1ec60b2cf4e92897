import type { Tree } from 'nx/src/devkit-exports';
import type { RootAdapter } from './root-adapter';

/** Tool configuration at a project's root that a new project needs its own copy of. */
const CONFIG_FILE = /^(?:tsconfig(?:\.[\w-]+)?\.json|\.eslintrc(?:\.\w+)?|eslint\.config\.[cm]?[jt]s|(?:jest|vite|vitest|babel|swc|rollup|webpack|tsup|esbuild)\.config\.[cm]?[jt]s|\.babelrc|\.swcrc)$/;
/** The ones only tests use: a project without test files gets none of them. */
const TEST_CONFIG_FILE = /^(?:(?:jest|vitest)\.config\.[cm]?[jt]s|tsconfig\.spec\.json)$/;

export interface ConfigFileCopy {
  path: string;
  content: string;
}

/** The old project's config files, adapted to the new root; test configs only for a part with tests. */
export function configFileCopies(tree: Tree, oldRoot: string, newRoot: string, hasTests: boolean, adapter: RootAdapter): ConfigFileCopy[] {
  const names = tree
    .children(oldRoot)
    .filter((name) => CONFIG_FILE.test(name) && tree.isFile(oldRoot === '' ? name : `${oldRoot}/${name}`))
    .filter((name) => hasTests || !TEST_CONFIG_FILE.test(name))
    .sort();
  const copied = new Set(names);
  return names.map((name) => {
    const source = tree.read(oldRoot === '' ? name : `${oldRoot}/${name}`, 'utf-8') ?? '';
    let content = adapter.text(source);
    if (name.startsWith('tsconfig')) content = withoutMissingReferences(content, copied);
    return { path: `${newRoot}/${name}`, content };
  });
}

/** A tsconfig's `references` to sibling configs that were not copied (tsconfig.spec.json of a part without tests) are dropped. */
function withoutMissingReferences(content: string, copied: ReadonlySet<string>): string {
  let config: { references?: Array<{ path?: unknown }> };
  try {
    config = JSON.parse(content);
  } catch {
    return content; // comments or trailing commas: left as written
  }
  if (!Array.isArray(config.references)) return content;
  const kept = config.references.filter((reference) => {
    if (typeof reference?.path !== 'string' || !/^\.\/[^/]+\.json$/.test(reference.path)) return true;
    return copied.has(reference.path.slice(2));
  });
  if (kept.length === config.references.length) return content;
  return `${JSON.stringify({ ...config, references: kept }, null, 2)}\n`;
}
