import type { Tree } from 'nx/src/devkit-exports';

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

const LOCKFILES: Record<PackageManagerName, string[]> = {
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lock', 'bun.lockb'],
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
};

function readRootJson(tree: Tree, path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(tree.read(path, 'utf-8') ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace's package manager: the root package.json's `packageManager`, else its lockfile, else npm. */
export function packageManagerOf(tree: Tree): PackageManagerName {
  const declared = readRootJson(tree, 'package.json')?.packageManager;
  const named = typeof declared === 'string' ? declared.split('@')[0] : undefined;
  if (named === 'pnpm' || named === 'yarn' || named === 'bun' || named === 'npm') return named;
  if (tree.exists('pnpm-workspace.yaml')) return 'pnpm';
  for (const name of ['pnpm', 'yarn', 'bun'] as const) if (LOCKFILES[name].some((file) => tree.exists(file))) return name;
  return 'npm';
}

/** How a new package.json names a workspace package when the old one names none: pnpm and bun link only `workspace:` ranges. */
export function defaultWorkspaceSpec(tree: Tree): string {
  const manager = packageManagerOf(tree);
  return manager === 'pnpm' || manager === 'bun' ? 'workspace:*' : '*';
}

/** True when nx runs a sync generator before tasks (the TS project references of @nx/js/typescript), so new projects need `nx sync`. */
function usesSyncGenerators(tree: Tree): boolean {
  const nxJson = readRootJson(tree, 'nx.json');
  const plugins = Array.isArray(nxJson?.plugins) ? (nxJson.plugins as unknown[]) : [];
  const typescriptPlugin = plugins.some((entry) => (typeof entry === 'string' ? entry : (entry as { plugin?: unknown } | null)?.plugin) === '@nx/js/typescript');
  const sync = nxJson?.sync as { globalGenerators?: unknown } | undefined;
  return typescriptPlugin || (Array.isArray(sync?.globalGenerators) && sync.globalGenerators.length > 0);
}

export interface InstallSteps {
  /** Commands to run before building, in order (`pnpm install`, `nx sync`). */
  commands: string[];
  /** Why, one line per command. */
  reasons: string[];
}

/**
 * What the user runs after a split before anything builds. New package.json projects resolve
 * their dependencies only once the package manager links them (pnpm's node_modules are strict:
 * a part sees only what its own package.json declares) and the lockfile records them (a frozen
 * install in CI refuses a lockfile without them); nx's TypeScript sync adds project references.
 */
export function installStepsOf(tree: Tree, split: { hasManifests: boolean; linked: boolean }): InstallSteps {
  const commands: string[] = [];
  const reasons: string[] = [];
  if (split.hasManifests) {
    const manager = packageManagerOf(tree);
    const lockfile = LOCKFILES[manager].find((file) => tree.exists(file));
    if (!split.linked || lockfile !== undefined) {
      const install = `${manager} install`;
      commands.push(install);
      const records = lockfile === undefined ? '' : `records them in ${lockfile} (commit it)`;
      reasons.push(split.linked ? `${install} ${records}` : `${install} links the new packages and the dependencies each declares${records === '' ? '' : `, and ${records}`}`);
    }
  }
  if (usesSyncGenerators(tree)) {
    commands.push('nx sync');
    reasons.push('nx sync adds the TypeScript project references of the new projects (nx runs no task while they are missing)');
  }
  return { commands, reasons };
}
