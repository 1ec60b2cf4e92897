import { readFileSync, statSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { build, type BuildOptions, type Message, type Metafile, type Plugin } from 'esbuild';
import { SixtyError } from '../errors/sixty-error';
import { findEntryPoints, readPackageManifest } from './entry-points';
import type { ImportEdge, ImportGraph, ImportGraphFile } from './import-graph-types';
import { createModuleResolver, packageNameOf } from './module-resolver';
import { compareStrings, isTypeScriptFile, listProjectSourceFiles } from './source-files';
import { staticImportSpecifiers, typeOnlyImportSpecifiers } from './static-imports';
import { computeTestReach } from './test-reach';
import { readTsconfigPaths } from './tsconfig-paths';
import { normalizeProjectRoot } from '../plan/safe-path';

export interface ReadImportGraphOptions {
  /** Absolute path of the workspace root. Every path of the result is relative to it. */
  workspaceRoot: string;
  /** Workspace-relative root of the project to read (`''` or `.` for a root project). */
  projectRoot: string;
  /**
   * The tsconfig whose `paths` resolve aliases (workspace-relative or absolute). Default: esbuild
   * finds the nearest tsconfig.json of each file; without one, the workspace's tsconfig.base.json.
   */
  tsconfigPath?: string;
  /** Public entry point(s), project- or workspace-relative. Default: package.json exports/main, else src/index.*. */
  entry?: string | readonly string[];
  /** Which files are test files, tested against the project-relative path. Default: `*.test.*`, `*.spec.*`, `__tests__/`. */
  testFilePattern?: RegExp;
}

interface NormalizedOptions {
  workspaceRoot: string;
  /** Workspace-relative, no trailing slash; `''` for a root project. */
  projectRoot: string;
  projectDirectory: string;
  /** Passed to esbuild; undefined lets esbuild find tsconfig.json files itself. */
  esbuildTsconfig?: string;
  /** Read for our own resolution of type-only imports. */
  aliasTsconfig?: string;
  entry?: readonly string[];
  testFilePattern: RegExp;
}

export const DEFAULT_TEST_FILE_PATTERN = /(?:^|\/)__tests__\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;

/** Imports of files that are not modules: loaded as nothing, so they neither fail nor add code. */
const ASSET_EXTENSIONS = [
  '.css', '.scss', '.sass', '.less', '.styl', '.svg', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.ico', '.bmp',
  '.woff', '.woff2', '.ttf', '.otf', '.eot', '.mp3', '.mp4', '.webm', '.wav', '.html', '.md', '.mdx', '.txt',
  '.graphql', '.gql', '.yaml', '.yml', '.wasm', '.node', '.vue', '.svelte', '.astro',
];

const STDIN_NAME = '<sixty-import-graph>';
/** Each retry learns something new from the errors; a few are enough for any real project. */
const MAX_BUILD_ATTEMPTS = 6;

/**
 * Reads the module import graph of one project with esbuild: one in-memory bundle whose single
 * entry imports every source file (so each file is parsed and printed once), metafile on,
 * packages external, nothing written. Files outside the project are loaded as empty modules, so
 * the graph stops at the project's edge. Files esbuild cannot parse are reported and read as
 * empty on a retry; unresolvable imports are reported and kept external.
 */
export async function readImportGraph(options: ReadImportGraphOptions): Promise<ImportGraph> {
  const settings = normalizeOptions(options);
  const { files: sourceFiles, symlinksOutside } = listProjectSourceFiles(settings.workspaceRoot, settings.projectDirectory);
  const rootPrefix = `${settings.workspaceRoot}/`;
  const absolute = (workspacePath: string): string => rootPrefix + workspacePath;
  const toWorkspacePath = (path: string): string =>
    path.startsWith(rootPrefix) ? path.slice(rootPrefix.length) : relative(settings.workspaceRoot, resolve(settings.workspaceRoot, path)).split(sep).join('/');

  const state: BuildState = { brokenFiles: new Map(), unresolved: new Set(), emptyExtensions: new Set() };
  let metafile: Metafile | undefined;
  let specifiersByFile: Map<string, string[]> | undefined;
  for (let attempt = 1; metafile === undefined; attempt++) {
    const pending = build(esbuildOptions(settings, sourceFiles.map(absolute), state)).then(
      (result) => ({ ok: true as const, metafile: result.metafile as Metafile }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (specifiersByFile === undefined) {
      // Let the build request reach esbuild, then run the lexer pass while esbuild works in its own process.
      await new Promise((resolveTick) => setImmediate(resolveTick));
      specifiersByFile = readStaticSpecifiers(sourceFiles, absolute);
    }
    const outcome = await pending;
    if (outcome.ok) {
      metafile = outcome.metafile;
      break;
    }
    const learned = learnFromFailure(outcome.error, state, settings);
    if (!learned || attempt >= MAX_BUILD_ATTEMPTS) {
      throw new SixtyError(
        'IMPORT_GRAPH_FAILED',
        `esbuild could not read the imports of ${settings.projectRoot || 'the workspace'}: ${describeFailure(outcome.error)}`,
        'check that the project builds (a tsconfig or package.json it relies on may be broken), then run the command again',
      );
    }
  }

  const insidePrefix = settings.projectRoot === '' ? '' : `${settings.projectRoot}/`;
  const isInside = (path: string): boolean =>
    path.startsWith(insidePrefix) && !path.startsWith('../') && (symlinksOutside.length === 0 || !symlinksOutside.some((link) => path === link || path.startsWith(`${link}/`)));
  const inputs = metafile.inputs;
  const fileSet = new Set(sourceFiles);
  for (const path of Object.keys(inputs)) {
    if (path !== STDIN_NAME && !fileSet.has(path) && isInside(path)) fileSet.add(path); // imported json, css: they move with their importers
  }
  const fileList = fileSet.size === sourceFiles.length ? sourceFiles : [...fileSet].sort(compareStrings);

  const tsconfig = settings.aliasTsconfig ? readTsconfigPaths(settings.aliasTsconfig) : undefined;
  const resolver = createModuleResolver({
    knownFiles: new Set(sourceFiles.map(absolute)),
    knownDirectory: settings.projectDirectory,
    ...(tsconfig ? { tsconfig } : {}),
  });
  const brokenFiles = new Set([...state.brokenFiles.keys()].map(toWorkspacePath));
  const unresolvedPairs = new Set([...state.unresolved].map((pair) => toWorkspacePath(pair.slice(0, pair.indexOf('\0'))) + pair.slice(pair.indexOf('\0'))));

  const edges: ImportEdge[] = [];
  const crossProjectEdges: ImportEdge[] = [];
  const externalsByFile: Array<[string, string[]]> = [];
  const unresolved: Array<{ file: string; specifier: string }> = [];
  for (const file of fileList) {
    const imports = inputs[file]?.imports ?? [];
    const targets = new Map<string, number>(); // target -> EDGE_* flags
    const addEdge = (to: string, flag: number): void => {
      if (to !== file) targets.set(to, (targets.get(to) ?? 0) | flag);
    };
    const externals = new Set<string>();
    const handled = new Set<string>();
    const elided: string[] = [];
    for (const record of imports) {
      if (!record.external) {
        handled.add(record.original ?? record.path);
        addEdge(record.path, record.kind === 'dynamic-import' ? EDGE_DYNAMIC : EDGE_STATIC);
      } else if (unresolvedPairs.has(`${file}\0${record.path}`) || (isRelative(record.path) && !isTypeScriptFile(file))) {
        handled.add(record.path);
        unresolved.push({ file, specifier: record.path });
      } else if (isTypeScriptFile(file)) {
        elided.push(record.path); // an elided import, or a package: the resolver below tells them apart
      } else {
        handled.add(record.path);
        externals.add(packageNameOf(record.path));
      }
    }
    if (brokenFiles.has(file)) {
      // esbuild read it as empty: the lexer's list is the best guess of what it imports.
      for (const specifier of staticImportSpecifiers(readText(absolute(file)))) {
        const target = resolver.resolve(specifier, absolute(file));
        if (target !== undefined) addEdge(toWorkspacePath(target), EDGE_STATIC);
      }
    } else if (isTypeScriptFile(file)) {
      // Imports esbuild dropped as type-only: listed as raw externals, or (import type) not at all.
      const elidedSet = new Set(elided);
      for (const specifier of [...elided, ...(specifiersByFile?.get(file) ?? [])]) {
        if (handled.has(specifier)) continue;
        handled.add(specifier);
        const target = resolver.resolve(specifier, absolute(file));
        if (target !== undefined) addEdge(toWorkspacePath(target), EDGE_TYPE);
        else if (isRelative(specifier)) unresolved.push({ file, specifier });
        else if (elidedSet.has(specifier)) externals.add(packageNameOf(specifier));
      }
    }
    for (const to of [...targets.keys()].sort(compareStrings)) {
      const flags = targets.get(to) as number;
      const edge = { from: file, to, typeOnly: (flags & (EDGE_STATIC | EDGE_DYNAMIC)) === 0, dynamic: (flags & EDGE_STATIC) === 0 && (flags & EDGE_DYNAMIC) !== 0 };
      (fileSet.has(to) && isInside(to) ? edges : crossProjectEdges).push(edge);
    }
    if (externals.size > 0) externalsByFile.push([file, [...externals].sort(compareStrings)]);
  }
  for (const pair of unresolvedPairs) {
    const [file, specifier] = pair.split('\0') as [string, string];
    if (!unresolved.some((entry) => entry.file === file && entry.specifier === specifier)) unresolved.push({ file, specifier });
  }

  const testFilePattern = settings.testFilePattern;
  const files: ImportGraphFile[] = fileList.map((path) => ({
    path,
    bytes: fileBytes(path, inputs[path]?.bytes, absolute),
    isTest: testFilePattern.test(path.slice(insidePrefix.length)),
  }));
  const entryPoints = findEntryPoints({
    projectRoot: settings.projectRoot,
    manifest: readPackageManifest(settings.projectDirectory),
    isProjectFile: (path) => fileSet.has(path),
    ...(settings.entry ? { entry: settings.entry } : {}),
  });
  const entrySet = new Set(entryPoints);
  let testReach: Record<string, string[]> | undefined;
  const publicModules = [...new Set(edges.filter((edge) => entrySet.has(edge.from) && !entrySet.has(edge.to)).map((edge) => edge.to))].sort(compareStrings);
  return {
    projectRoot: settings.projectRoot,
    files,
    edges,
    crossProjectEdges,
    externalsByFile: Object.fromEntries(externalsByFile),
    // computed on first read: at 10,000 files it is millions of entries, and planners do not need it
    get testReach() {
      testReach ??= computeTestReach(
        fileList,
        edges,
        files.filter((file) => file.isTest).map((file) => file.path),
      );
      return testReach;
    },
    entryPoints,
    publicModules,
    unparsable: [...state.brokenFiles.entries()]
      .map(([file, message]) => ({ file: toWorkspacePath(file), message }))
      .sort((a, b) => compareStrings(a.file, b.file)),
    unresolved: unresolved.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.specifier, b.specifier)),
    symlinksOutside,
  };
}

const EDGE_STATIC = 1;
const EDGE_DYNAMIC = 2;
const EDGE_TYPE = 4;

function normalizeOptions(options: ReadImportGraphOptions): NormalizedOptions {
  if (typeof options.workspaceRoot !== 'string' || !isAbsolute(options.workspaceRoot)) {
    throw new SixtyError('INVALID_ARGUMENT', `workspaceRoot must be an absolute path, got ${JSON.stringify(options.workspaceRoot)}`, 'pass the absolute path of the workspace root');
  }
  const workspaceRoot = resolve(options.workspaceRoot);
  const projectRoot = normalizeProjectRoot(options.projectRoot);
  const projectDirectory = resolve(workspaceRoot, projectRoot);
  if (isAbsolute(projectRoot) || projectRoot.split('/').includes('..') || !isDirectory(projectDirectory)) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `projectRoot "${options.projectRoot}" is not a directory inside ${workspaceRoot}`,
      'pass the project root relative to the workspace root, as in project.json (e.g. libs/my-lib)',
    );
  }
  let esbuildTsconfig: string | undefined;
  let aliasTsconfig: string | undefined;
  if (options.tsconfigPath !== undefined) {
    esbuildTsconfig = resolve(workspaceRoot, options.tsconfigPath);
    if (!existsSync(esbuildTsconfig)) {
      throw new SixtyError('INVALID_ARGUMENT', `tsconfig ${options.tsconfigPath} does not exist`, 'pass an existing tsconfig file, or leave it out to use the nearest tsconfig.json');
    }
    aliasTsconfig = esbuildTsconfig;
  } else {
    aliasTsconfig = nearestTsconfig(projectDirectory, workspaceRoot);
    if (aliasTsconfig === undefined) {
      // esbuild only looks for tsconfig.json; Nx workspaces keep their aliases in tsconfig.base.json.
      const base = join(workspaceRoot, 'tsconfig.base.json');
      if (existsSync(base)) esbuildTsconfig = aliasTsconfig = base;
    }
  }
  const entry = options.entry === undefined ? undefined : typeof options.entry === 'string' ? [options.entry] : [...options.entry];
  return {
    workspaceRoot,
    projectRoot,
    projectDirectory,
    ...(esbuildTsconfig ? { esbuildTsconfig } : {}),
    ...(aliasTsconfig ? { aliasTsconfig } : {}),
    ...(entry ? { entry } : {}),
    // without g/y flags: RegExp#test on a global pattern remembers where it stopped
    testFilePattern: options.testFilePattern ? new RegExp(options.testFilePattern.source, options.testFilePattern.flags.replace(/[gy]/g, '')) : DEFAULT_TEST_FILE_PATTERN,
  };
}

function nearestTsconfig(from: string, workspaceRoot: string): string | undefined {
  for (let directory = from; ; directory = resolve(directory, '..')) {
    const candidate = join(directory, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (directory === workspaceRoot || !directory.startsWith(workspaceRoot)) return undefined;
  }
}

interface BuildState {
  /** Absolute path -> the first error esbuild gave for it. Loaded as empty modules. */
  brokenFiles: Map<string, string>;
  /** `absoluteImporter\0specifier` pairs that resolve to nothing: kept external. */
  unresolved: Set<string>;
  /** Extensions of imported non-module files to load as nothing. */
  emptyExtensions: Set<string>;
}

function esbuildOptions(settings: NormalizedOptions, entries: string[], state: BuildState): BuildOptions {
  const loader: Record<string, 'empty' | 'jsx'> = { '.js': 'jsx' }; // JSX in .js files is common; plain JS parses the same
  for (const extension of [...ASSET_EXTENSIONS, ...state.emptyExtensions]) loader[extension] = 'empty';
  return {
    absWorkingDir: settings.workspaceRoot,
    stdin: {
      contents: entries.map((file) => `import ${JSON.stringify(file)};`).join('\n'),
      resolveDir: settings.workspaceRoot,
      sourcefile: STDIN_NAME,
      loader: 'js',
    },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    format: 'esm',
    target: 'esnext',
    logLevel: 'silent',
    outfile: join(settings.workspaceRoot, '.sixty-import-graph.js'), // never written (write: false)
    preserveSymlinks: true,
    charset: 'utf8',
    legalComments: 'none',
    minifyWhitespace: true, // the bundle is never used; less of it to print
    resolveExtensions: ['.tsx', '.ts', '.jsx', '.js', '.css', '.json', '.mts', '.cts', '.mjs', '.cjs'],
    loader,
    ...(settings.esbuildTsconfig ? { tsconfig: settings.esbuildTsconfig } : {}),
    plugins: [projectBoundaryPlugin(settings.projectDirectory, state)],
  };
}

/**
 * Stops the graph at the project's edge (files outside load as empty modules, so other projects
 * are never parsed), loads broken files as empty, and keeps unresolvable imports external.
 * Filters are Go regular expressions evaluated inside esbuild: only matches cost a round trip.
 */
function projectBoundaryPlugin(projectDirectory: string, state: BuildState): Plugin {
  return {
    name: 'sixty-project-boundary',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: new RegExp(notStartingWith(projectDirectory + sep)), namespace: 'file' }, () => ({ contents: '', loader: 'empty' }));
      if (state.brokenFiles.size > 0) {
        const filter = new RegExp(`^(?:${[...state.brokenFiles.keys()].map(escapeRegExp).join('|')})$`);
        pluginBuild.onLoad({ filter, namespace: 'file' }, () => ({ contents: '', loader: 'empty' }));
      }
      if (state.unresolved.size > 0) {
        const specifiers = new Set([...state.unresolved].map((pair) => pair.slice(pair.indexOf('\0') + 1)));
        const filter = new RegExp(`^(?:${[...specifiers].map(escapeRegExp).join('|')})$`);
        pluginBuild.onResolve({ filter }, (args) =>
          state.unresolved.has(pairKey(args.importer, args.path)) ? { path: args.path, external: true } : undefined,
        );
      }
    },
  };
}

/** Records what a failed build says, so the next attempt avoids it. False when nothing new was learned. */
function learnFromFailure(error: unknown, state: BuildState, settings: NormalizedOptions): boolean {
  const messages = (error as { errors?: Message[] } | null)?.errors;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  let learned = false;
  for (const message of messages) {
    const file = message.location?.file;
    const loaderMatch = /^No loader is configured for "([^"]+)" files/.exec(message.text);
    if (loaderMatch) {
      const extension = loaderMatch[1] as string;
      if (!state.emptyExtensions.has(extension)) learned = true;
      state.emptyExtensions.add(extension);
      continue;
    }
    if (!file || file === STDIN_NAME) return false; // not about one file: retrying cannot help
    const absoluteFile = resolve(settings.workspaceRoot, file);
    const resolveMatch = /^Could not resolve "([^"]+)"/.exec(message.text);
    if (resolveMatch) {
      const key = pairKey(absoluteFile, resolveMatch[1] as string);
      if (!state.unresolved.has(key)) learned = true;
      state.unresolved.add(key);
      continue;
    }
    if (!state.brokenFiles.has(absoluteFile)) {
      learned = true;
      const line = message.location?.line;
      state.brokenFiles.set(absoluteFile, `${line ? `line ${line}: ` : ''}${message.text}`);
    }
  }
  return learned;
}

function describeFailure(error: unknown): string {
  const messages = (error as { errors?: Message[] } | null)?.errors;
  if (Array.isArray(messages) && messages.length > 0) {
    return messages
      .slice(0, 3)
      .map((message) => (message.location ? `${message.location.file}:${message.location.line}: ${message.text}` : message.text))
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Lists the `import type` / `export type` specifiers of each TypeScript file (esbuild drops those
 * statements without a trace). A byte search skips files that cannot have one without decoding them.
 */
function readStaticSpecifiers(files: readonly string[], absolute: (path: string) => string): Map<string, string[]> {
  const specifiers = new Map<string, string[]>();
  for (const file of files) {
    if (!isTypeScriptFile(file)) continue;
    try {
      const bytes = readFileSync(absolute(file));
      if (bytes.indexOf('type') === -1) continue;
      const found = typeOnlyImportSpecifiers(bytes.toString('utf8'));
      if (found.length > 0) specifiers.set(file, found);
    } catch {
      // unreadable now: esbuild reports it if it matters
    }
  }
  return specifiers;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function fileBytes(path: string, bytes: number | undefined, absolute: (path: string) => string): number {
  if (bytes !== undefined && bytes > 0) return bytes;
  try {
    return statSync(absolute(path)).size; // loaded as empty (broken, asset): its size on disk
  } catch {
    return 0;
  }
}

function pairKey(importer: string, specifier: string): string {
  return `${importer}\0${specifier}`;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || specifier.startsWith('/');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * A regular expression (no lookahead: esbuild runs Go's RE2) matching every string that does not
 * start with `prefix`: `^(?:[^a]|a(?:[^b]|b(?:...)))`.
 */
export function notStartingWith(prefix: string): string {
  const characters = Array.from(prefix);
  let pattern = '';
  for (let index = characters.length - 1; index >= 0; index--) {
    const character = characters[index] as string;
    const notThis = `[^${character.replace(/[\\\]^-]/g, '\\$&')}]`;
    pattern = pattern === '' ? notThis : `${notThis}|${escapeRegExp(character)}(?:${pattern})`;
  }
  return `^(?:${pattern})`;
}
