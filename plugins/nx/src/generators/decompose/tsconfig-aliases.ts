import { posix } from 'node:path';
import { readJson, type Tree } from 'nx/src/devkit-exports';

/** One `compilerOptions.paths` entry, its targets made workspace-relative. */
export interface PathAlias {
  key: string;
  /** Text before the `*` (the whole key when it has none). */
  prefix: string;
  /** Text after the `*`. */
  suffix: string;
  wildcard: boolean;
  /** Workspace-relative target patterns, `*` kept. */
  targets: string[];
}

export interface WorkspaceAliases {
  /** The root tsconfig holding `paths` (tsconfig.base.json, else tsconfig.json), when there is one. */
  file?: string;
  /** Workspace-relative directory paths resolve against (baseUrl, else the config's folder). */
  baseDirectory: string;
  /** Most specific first (longest prefix), as TypeScript matches them. */
  aliases: PathAlias[];
}

const ROOT_TSCONFIGS = ['tsconfig.base.json', 'tsconfig.json'];

/** The path aliases of the workspace's root tsconfig. None when it has no `paths`. */
export function readWorkspaceAliases(tree: Tree): WorkspaceAliases {
  for (const file of ROOT_TSCONFIGS) {
    if (!tree.exists(file)) continue;
    let config: { compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
    try {
      config = readJson(tree, file);
    } catch {
      continue;
    }
    const options = config.compilerOptions ?? {};
    const paths = options.paths;
    if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) continue;
    const baseDirectory = typeof options.baseUrl === 'string' ? posix.normalize(options.baseUrl).replace(/^\.\/?$/, '').replace(/\/$/, '') : '';
    const aliases: PathAlias[] = [];
    for (const [key, value] of Object.entries(paths as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      const star = key.indexOf('*');
      aliases.push({
        key,
        prefix: star === -1 ? key : key.slice(0, star),
        suffix: star === -1 ? '' : key.slice(star + 1),
        wildcard: star !== -1,
        targets: value.filter((target): target is string => typeof target === 'string').map((target) => workspacePath(baseDirectory, target)),
      });
    }
    aliases.sort((a, b) => b.prefix.length - a.prefix.length || Number(a.wildcard) - Number(b.wildcard));
    return { file, baseDirectory, aliases };
  }
  return { baseDirectory: '', aliases: [] };
}

function workspacePath(baseDirectory: string, target: string): string {
  const joined = posix.normalize(baseDirectory === '' ? target : `${baseDirectory}/${target}`);
  return joined.replace(/^\.\//, '');
}

/** A target written the way the config writes its others: relative to baseUrl. */
export function aliasTarget(aliases: WorkspaceAliases, workspaceRelativePath: string): string {
  return aliases.baseDirectory === '' ? workspaceRelativePath : posix.relative(aliases.baseDirectory, workspaceRelativePath);
}
