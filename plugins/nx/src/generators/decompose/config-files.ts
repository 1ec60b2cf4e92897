import { posix } from 'node:path';
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
    if (name.startsWith('tsconfig')) content = withOwnOutputs(withoutMissingReferences(content, copied), oldRoot, newRoot);
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

const OUTPUT_OPTIONS = ['outDir', 'declarationDir', 'tsBuildInfoFile'] as const;

/**
 * An output path outside the project that names it by its folder (`../../dist/out-tsc/utils` in
 * packages/utils) names the part's folder instead: two projects writing one folder (and one
 * .tsbuildinfo) fail `tsc --build` with TS6377. Paths inside the project are the part's own already.
 */
function withOwnOutputs(content: string, oldRoot: string, newRoot: string): string {
  const oldFolder = posix.basename(oldRoot);
  const newFolder = posix.basename(newRoot);
  if (oldRoot === '' || oldFolder === newFolder) return content;
  let config: { compilerOptions?: Record<string, unknown> };
  try {
    config = JSON.parse(content);
  } catch {
    return content; // comments or trailing commas: left as written
  }
  const options = config.compilerOptions;
  if (typeof options !== 'object' || options === null) return content;
  const changed: Record<string, string> = {};
  for (const option of OUTPUT_OPTIONS) {
    const value = options[option];
    if (typeof value !== 'string') continue;
    const resolved = posix.normalize(posix.join(newRoot, value));
    if (resolved === newRoot || resolved.startsWith(`${newRoot}/`)) continue;
    const segments = value.split('/');
    const at = segments.lastIndexOf(oldFolder);
    if (at < 0) continue;
    segments[at] = newFolder;
    changed[option] = segments.join('/');
  }
  if (Object.keys(changed).length === 0) return content;
  return `${JSON.stringify({ ...config, compilerOptions: { ...options, ...changed } }, null, 2)}\n`;
}
