import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import { diskFileLookup, type FileLookup } from './file-lookup';

/** One `compilerOptions.paths` entry: `@org/*` -> [`libs/*\/src/index.ts`]. */
export interface PathAlias {
  /** Text before the `*` (the whole key when it has none). */
  prefix: string;
  /** Text after the `*`. */
  suffix: string;
  wildcard: boolean;
  /** Absolute target patterns, `*` kept. */
  targets: string[];
}

/** What a tsconfig chain says about non-relative imports. */
export interface TsconfigPaths {
  /** Absolute `baseUrl`, when one is set: bare imports are also tried against it. */
  baseUrl?: string;
  /** Aliases, most specific first (longest prefix), as TypeScript matches them. */
  aliases: PathAlias[];
  /** `moduleSuffixes` (`['.ios', '']`): tried before each extension. Absent when not set. */
  moduleSuffixes?: string[];
  /** `customConditions`: package.json exports/imports conditions to honour beside the default ones. */
  customConditions?: string[];
}

const MAX_EXTENDS_DEPTH = 16;

/**
 * Reads `baseUrl`, `paths`, `moduleSuffixes` and `customConditions` from a tsconfig (absolute
 * path) and the chain it extends (relative `extends` only), over any file lookup (the disk, the
 * Nx Tree). Paths resolve against the baseUrl, or the directory of the config declaring them.
 * A missing or unreadable file yields nothing: these only refine the graph.
 */
export function readTsconfigPaths(tsconfigFile: string, lookup: FileLookup = diskFileLookup, followReferences = true): TsconfigPaths {
  let baseUrl: string | undefined;
  let paths: { entries: Record<string, unknown>; directory: string } | undefined;
  let moduleSuffixes: string[] | undefined;
  let customConditions: string[] | undefined;
  // Walk child -> parent; the first config that sets a field wins.
  const queue: Array<{ file: string; depth: number }> = [{ file: tsconfigFile, depth: 0 }];
  const seen = new Set<string>();
  const references: string[] = [];
  while (queue.length > 0) {
    const { file, depth } = queue.shift() as { file: string; depth: number };
    if (seen.has(file) || depth > MAX_EXTENDS_DEPTH) continue;
    seen.add(file);
    const text = lookup.readText(file);
    if (text === undefined) continue;
    const config: unknown = parse(text, [], { allowTrailingComma: true });
    if (!isRecord(config)) continue;
    const options = isRecord(config.compilerOptions) ? config.compilerOptions : {};
    if (baseUrl === undefined && typeof options.baseUrl === 'string') baseUrl = resolve(dirname(file), options.baseUrl);
    if (paths === undefined && isRecord(options.paths)) paths = { entries: options.paths, directory: dirname(file) };
    moduleSuffixes ??= stringList(options.moduleSuffixes);
    customConditions ??= stringList(options.customConditions);
    if (followReferences && depth === 0 && Array.isArray(config.references)) {
      for (const reference of config.references) {
        if (!isRecord(reference) || typeof reference.path !== 'string') continue;
        const target = resolve(dirname(file), reference.path);
        references.push(target.endsWith('.json') ? target : join(target, 'tsconfig.json'));
      }
    }
    const parents = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
    // TypeScript applies an array of extends left to right, later ones winning: visit them last-first.
    for (const parent of [...parents].reverse()) {
      if (typeof parent !== 'string' || !(parent.startsWith('.') || isAbsolute(parent))) continue;
      const parentFile = resolve(dirname(file), parent);
      queue.push({ file: parentFile.endsWith('.json') || lookup.isFile(parentFile) ? parentFile : `${parentFile}.json`, depth: depth + 1 });
    }
  }
  // A solution-style tsconfig (`files: []`, references to tsconfig.lib.json, ...) leaves these to the projects it references.
  for (const reference of references) {
    if (moduleSuffixes !== undefined && customConditions !== undefined) break;
    if (reference === tsconfigFile) continue;
    const referenced = readTsconfigPaths(reference, lookup, false);
    moduleSuffixes ??= referenced.moduleSuffixes;
    customConditions ??= referenced.customConditions;
  }
  const aliases: PathAlias[] = [];
  if (paths) {
    const root = baseUrl ?? paths.directory;
    for (const [key, value] of Object.entries(paths.entries)) {
      if (!Array.isArray(value)) continue;
      const star = key.indexOf('*');
      const targets = value.filter((target): target is string => typeof target === 'string').map((target) => join(root, target));
      aliases.push({
        prefix: star === -1 ? key : key.slice(0, star),
        suffix: star === -1 ? '' : key.slice(star + 1),
        wildcard: star !== -1,
        targets,
      });
    }
  }
  aliases.sort((a, b) => b.prefix.length - a.prefix.length || Number(a.wildcard) - Number(b.wildcard));
  return {
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    aliases,
    ...(moduleSuffixes ? { moduleSuffixes } : {}),
    ...(customConditions ? { customConditions } : {}),
  };
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** What alias expansion needs of a `paths` entry; targets absolute (readTsconfigPaths) or workspace-relative (the generator's). */
export type AliasPattern = Pick<PathAlias, 'prefix' | 'suffix' | 'wildcard' | 'targets'>;

/** The candidate paths the most specific matching alias maps a specifier to; empty when none matches. */
export function expandAlias(specifier: string, aliases: readonly AliasPattern[]): string[] {
  for (const alias of aliases) {
    if (!alias.wildcard) {
      if (specifier === alias.prefix) return alias.targets;
      continue;
    }
    if (specifier.length >= alias.prefix.length + alias.suffix.length && specifier.startsWith(alias.prefix) && specifier.endsWith(alias.suffix)) {
      const matched = specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
      return alias.targets.map((target) => target.replace('*', matched));
    }
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
