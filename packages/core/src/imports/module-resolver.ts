import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { expandAlias, type TsconfigPaths } from './tsconfig-paths';

/**
 * Resolves the imports esbuild never resolves because TypeScript elides them (type-only
 * imports). Mirrors TypeScript's bundler resolution for the cases that matter: relative paths,
 * `.js` written for `.ts`, directory index files, tsconfig `paths` and `baseUrl`.
 */
export interface ModuleResolver {
  /** Absolute path of the file `specifier` names when imported from `importer`, or undefined (a package, or missing). */
  resolve(specifier: string, importer: string): string | undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
const TS_FOR_JS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

export interface ModuleResolverOptions {
  /** Absolute paths of every source file under `knownDirectory`: checked without touching the disk. */
  knownFiles: ReadonlySet<string>;
  /** Absolute directory whose source files are all in `knownFiles`. */
  knownDirectory: string;
  tsconfig?: TsconfigPaths;
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;

export function createModuleResolver(options: ModuleResolverOptions): ModuleResolver {
  const knownPrefix = options.knownDirectory.endsWith('/') ? options.knownDirectory : options.knownDirectory + '/';
  const exists = (path: string): boolean => {
    if (options.knownFiles.has(path)) return true;
    // Every source file of the project is known: no need to ask the disk about one that is not.
    if (path.startsWith(knownPrefix) && SOURCE_FILE.test(path) && !path.includes('/node_modules/')) return false;
    return isFileOnDisk(path);
  };
  const cache = new Map<string, string | undefined>();
  const probe = (base: string): string | undefined => {
    if (options.knownFiles.has(base)) return base;
    const dot = base.lastIndexOf('.');
    const extension = dot > base.lastIndexOf('/') ? base.slice(dot) : '';
    for (const replacement of TS_FOR_JS[extension] ?? []) {
      const candidate = base.slice(0, dot) + replacement;
      if (exists(candidate)) return candidate;
    }
    for (const candidate of EXTENSIONS.map((ext) => base + ext)) if (exists(candidate)) return candidate;
    for (const candidate of EXTENSIONS.map((ext) => join(base, 'index' + ext))) if (exists(candidate)) return candidate;
    return isFileOnDisk(base) ? base : undefined;
  };
  const resolveUncached = (specifier: string, directory: string): string | undefined => {
    if (specifier.startsWith('.') || isAbsolute(specifier)) return probe(resolve(directory, specifier));
    if (!options.tsconfig) return undefined;
    for (const candidate of expandAlias(specifier, options.tsconfig)) {
      const found = probe(candidate);
      if (found) return found;
    }
    return options.tsconfig.baseUrl ? probe(join(options.tsconfig.baseUrl, specifier)) : undefined;
  };
  return {
    resolve(specifier, importer) {
      const directory = dirname(importer);
      // Bare specifiers resolve the same from everywhere; relative ones per directory.
      const key = specifier.startsWith('.') ? `${directory}\0${specifier}` : specifier;
      if (cache.has(key)) return cache.get(key);
      const found = resolveUncached(specifier, directory);
      cache.set(key, found);
      return found;
    },
  };
}

function isFileOnDisk(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The package a bare specifier names: `lodash/fp` -> `lodash`, `@scope/pkg/sub` -> `@scope/pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}
