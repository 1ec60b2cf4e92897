import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
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

/** Resolves the specifiers imported by files of one directory (absolute path) to absolute paths; undefined when nothing matches. */
export type ResolveImport = (specifier: string) => string | undefined;
/** The resolver for files of a directory (absolute path): the directory's answers are cached with it. */
export type ImportResolverFor = (directory: string) => ResolveImport;

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
 * A relative specifier whose file the directory listings show is answered without oxc-resolver
 * (see relativeFileFromListings); anything else, a miss included, is oxc-resolver's to answer.
 */
export function createImportResolver(settings: ResolverSettings): ImportResolverFor {
  const options = resolverOptions(settings);
  let resolver: ResolverFactory | undefined;
  let checkedTsconfig = settings.tsconfigFile === undefined;
  const resolveWithOxc = (directory: string, specifier: string): string | undefined => {
    resolver ??= new ResolverFactory(settings.tsconfigFile ? { ...options, tsconfig: { configFile: settings.tsconfigFile, references: 'auto' } } : options);
    let result = resolver.sync(directory, specifier);
    if (!checkedTsconfig) {
      checkedTsconfig = true;
      // A broken tsconfig fails every resolution: read the project without its aliases instead.
      if (result.error !== undefined && /tsconfig/i.test(result.error)) {
        resolver = new ResolverFactory(options);
        result = resolver.sync(directory, specifier);
      }
    }
    return result.path;
  };
  const extensions = options.extensions as string[];
  const listings = createDirectoryListings();
  const packageAnswers = new Map<string, string | undefined>(); // one tsconfig for the whole project
  const byDirectory = new Map<string, ResolveImport>();
  return (directory) => {
    let resolveInDirectory = byDirectory.get(directory);
    if (resolveInDirectory !== undefined) return resolveInDirectory;
    const answers = new Map<string, string | undefined>();
    resolveInDirectory = (specifier) => {
      const relative = isRelative(specifier);
      const cache = relative || specifier.startsWith('#') ? answers : packageAnswers;
      if (cache.has(specifier)) return cache.get(specifier);
      const found = (relative ? relativeFileFromListings(directory, specifier, extensions, listings) : undefined) ?? resolveWithOxc(directory, specifier);
      cache.set(specifier, found);
      return found;
    };
    byDirectory.set(directory, resolveInDirectory);
    return resolveInDirectory;
  };
}

/** oxc-resolver's options for these settings (the tsconfig is added by createImportResolver). */
export function resolverOptions(settings: ResolverSettings): NapiResolveOptions {
  return {
    extensions: settings.moduleSuffixes.flatMap((suffix) => EXTENSIONS.map((extension) => suffix + extension)),
    extensionAlias: EXTENSION_ALIASES,
    conditionNames: settings.conditions,
    mainFields: ['module', 'main'],
    symlinks: false,
    builtinModules: true,
  };
}

/** What a directory listing says of a name: a regular file, a directory, or something else (a link, unknown). */
type EntryKind = 'file' | 'directory' | 'other';
/** Entries of a directory by name; undefined when it cannot be listed. */
type DirectoryListings = (directory: string) => ReadonlyMap<string, EntryKind> | undefined;

function createDirectoryListings(): DirectoryListings {
  const listings = new Map<string, Map<string, EntryKind> | undefined>();
  return (directory) => {
    if (listings.has(directory)) return listings.get(directory);
    let entries: Map<string, EntryKind> | undefined;
    try {
      entries = new Map(readdirSync(directory, { withFileTypes: true }).map((entry) => [entry.name, entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other']));
    } catch {
      entries = undefined;
    }
    listings.set(directory, entries);
    return entries;
  };
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
}

/**
 * The file oxc-resolver would resolve a relative specifier to (`base`: it, made absolute), taken
 * from directory listings: one readdir per directory instead of one native call per import.
 * It walks oxc-resolver's candidates in oxc-resolver's order (`.js` written for `.ts` and the
 * like; else the path itself, then each extension, then the directory's index files) and answers
 * only when the first candidate that exists is a regular file and every one before it is listed
 * as absent. Undefined otherwise (nothing found, a link, a directory with a package.json, a
 * trailing slash, a directory that cannot be listed): oxc-resolver then decides.
 */
function relativeFileFromListings(from: string, specifier: string, extensions: readonly string[], listings: DirectoryListings): string | undefined {
  if (sep !== '/' || specifier.endsWith('/')) return undefined;
  const base = joinRelative(from, specifier);
  const slash = base.lastIndexOf('/');
  const directory = base.slice(0, slash);
  const entries = listings(directory);
  if (entries === undefined) return undefined;
  const name = base.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  if (dot === 0) return undefined; // `.name`: whether that is an extension is oxc-resolver's call
  const aliases = dot > 0 ? EXTENSION_ALIASES[name.slice(dot)] : undefined;
  if (aliases !== undefined) return fileOrUnknown(firstFile(directory, entries, name.slice(0, dot), aliases));
  const kind = entries.get(name);
  if (kind === 'file') return base;
  if (kind === 'other') return undefined;
  const asFile = firstFile(directory, entries, name, extensions);
  if (asFile !== ABSENT) return asFile;
  const inside = kind === 'directory' ? listings(base) : undefined;
  if (inside === undefined || inside.has('package.json')) return undefined; // main fields: oxc-resolver's to read
  return fileOrUnknown(firstFile(base, inside, 'index', extensions));
}

/** `from` (absolute, normalized, `/`-separated) joined with a relative specifier, `.` and `..` segments applied, as path.resolve would. */
function joinRelative(from: string, specifier: string): string {
  let base = from;
  let rest = specifier;
  // the usual `./x`, `../../x`: leading segments only, without splitting the specifier
  for (;;) {
    if (rest.startsWith('./')) rest = rest.slice(2);
    else if (rest.startsWith('../')) {
      rest = rest.slice(3);
      base = base.slice(0, Math.max(base.lastIndexOf('/'), 0)) || '/';
    } else break;
  }
  if (rest.startsWith('/') || rest.includes('/.') || rest.includes('//') || rest === '.' || rest === '..') {
    for (const segment of rest.split('/')) {
      if (segment === '..') base = base.slice(0, Math.max(base.lastIndexOf('/'), 0)) || '/';
      else if (segment !== '.' && segment !== '') base = base === '/' ? `/${segment}` : `${base}/${segment}`;
    }
    return base;
  }
  return rest === '' ? base : base === '/' ? `/${rest}` : `${base}/${rest}`;
}

/** Every candidate is listed, and none is there. */
const ABSENT = Symbol('absent');

/** The first `stem + extension` listed in `entries` as a regular file; ABSENT when none is listed; undefined when one before the first file is not a plain file or directory. */
function firstFile(directory: string, entries: ReadonlyMap<string, EntryKind>, stem: string, extensions: readonly string[]): string | typeof ABSENT | undefined {
  for (const extension of extensions) {
    const kind = entries.get(stem + extension);
    if (kind === 'file') return `${directory}/${stem}${extension}`;
    if (kind === 'other') return undefined;
  }
  return ABSENT;
}

function fileOrUnknown(found: string | typeof ABSENT | undefined): string | undefined {
  return found === ABSENT ? undefined : found;
}
