import { dirname } from 'node:path';
import { ResolverFactory, type NapiResolveOptions } from 'oxc-resolver';

/** Plain data (it crosses to worker threads): how specifiers resolve on disk. */
export interface ResolverSettings {
  /** Absolute tsconfig whose `paths`, `baseUrl`, `extends` and project references apply. */
  tsconfigFile?: string;
  /** package.json exports/imports conditions. */
  conditions: string[];
  /** TypeScript `moduleSuffixes` (`['.ios', '']`); `['']` when not set. */
  moduleSuffixes: string[];
}

/** Resolves one specifier imported by a file (absolute path) to an absolute path; undefined when nothing matches. */
export type ResolveImport = (specifier: string, importer: string) => string | undefined;

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
/** `./a.js` written for `./a.ts` (TypeScript's NodeNext and bundler styles). */
const EXTENSION_ALIASES: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts', '.js'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.d.mts', '.mjs'],
  '.cjs': ['.cts', '.d.cts', '.cjs'],
};
/** Conditions every reader honours; a tsconfig's customConditions come on top. */
export const DEFAULT_CONDITIONS = ['import', 'require', 'node', 'default'];

/**
 * oxc-resolver set up as TypeScript resolves a project's sources: tsconfig `paths`/`baseUrl`
 * (through `extends` and project references), package.json `exports`/`imports` with the given
 * conditions, `.js` written for `.ts`, index files, `moduleSuffixes`. Links are kept as written
 * (not followed), so a package linked into node_modules stays a package. Results are cached per
 * directory and specifier (package specifiers per specifier: one tsconfig for the whole project).
 */
export function createImportResolver(settings: ResolverSettings): ResolveImport {
  const options: NapiResolveOptions = {
    extensions: settings.moduleSuffixes.flatMap((suffix) => EXTENSIONS.map((extension) => suffix + extension)),
    extensionAlias: EXTENSION_ALIASES,
    conditionNames: settings.conditions,
    mainFields: ['module', 'main'],
    symlinks: false,
    builtinModules: true,
  };
  let resolver = new ResolverFactory(settings.tsconfigFile ? { ...options, tsconfig: { configFile: settings.tsconfigFile, references: 'auto' } } : options);
  let checkedTsconfig = settings.tsconfigFile === undefined;
  const cache = new Map<string, string | undefined>();
  return (specifier, importer) => {
    const directory = dirname(importer);
    const key = specifier.startsWith('.') || specifier.startsWith('#') ? `${directory}\0${specifier}` : specifier;
    if (cache.has(key)) return cache.get(key);
    let result = resolver.sync(directory, specifier);
    if (!checkedTsconfig) {
      checkedTsconfig = true;
      // A broken tsconfig fails every resolution: read the project without its aliases instead.
      if (result.error !== undefined && /tsconfig/i.test(result.error)) {
        resolver = new ResolverFactory(options);
        result = resolver.sync(directory, specifier);
      }
    }
    const found = result.path;
    cache.set(key, found);
    return found;
  };
}
