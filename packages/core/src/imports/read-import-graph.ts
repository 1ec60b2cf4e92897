import { statSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SixtyError } from '../errors/sixty-error';
import { findEntryPoints, readPackageManifest } from './entry-points';
import type { ImportEdge, ImportGraph, ImportGraphFile } from './import-graph-types';
import { DEFAULT_CONDITIONS, type ResolverSettings } from './import-resolver';
import { packageNameOf } from './package-name';
import { createImportReaderPool, type ImportReaderPool } from './parallel-file-imports';
import { compareStrings, listProjectSourceFiles } from './source-files';
import { computeTestReach } from './test-reach';
import { readTsconfigPaths } from './tsconfig-paths';
import { normalizeProjectRoot } from '../workspace-files/safe-path';

export interface ReadImportGraphOptions {
  /** Absolute path of the workspace root. Every path of the result is relative to it. */
  workspaceRoot: string;
  /** Workspace-relative root of the project to read (`''` or `.` for a root project). */
  projectRoot: string;
  /**
   * The tsconfig whose `paths`, `baseUrl`, project references and `moduleSuffixes` apply
   * (workspace-relative or absolute). Default: the nearest tsconfig.json above the project,
   * else the workspace's tsconfig.base.json.
   */
  tsconfigPath?: string;
  /** package.json exports/imports conditions. Default: the tsconfig's customConditions plus import, require, node, default. */
  conditions?: readonly string[];
  /** Public entry point(s), project- or workspace-relative. Default: package.json exports/main, else src/index.*. */
  entry?: string | readonly string[];
  /** Which files are test files, tested against the project-relative path. Default: `*.test.*`, `*.spec.*`, `__tests__/`. */
  testFilePattern?: RegExp;
  /** The helper threads' script; default: import-graph-worker.js next to the running bundle. null: read on this thread only. */
  workerScript?: string | null;
  /** Threads in all (this one included); default: the available parallelism, one thread per 200 files. Given, it is used as is. */
  threads?: number;
}

interface NormalizedOptions {
  workspaceRoot: string;
  /** Workspace-relative, no trailing slash; `''` for a root project. */
  projectRoot: string;
  projectDirectory: string;
  resolver: ResolverSettings;
  entry?: readonly string[];
  testFilePattern: RegExp;
  workerScript?: string | null;
  threads?: number;
}

export const DEFAULT_TEST_FILE_PATTERN = /(?:^|\/)__tests__\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;

/**
 * Reads the module import graph of one project: each source file's module record from
 * oxc-parser (imports, re-exports, `import()`; `import type` and `export type` marked), its
 * specifiers resolved by oxc-resolver as TypeScript would (tsconfig paths, package.json
 * exports/imports, `.js` written for `.ts`). Only the project's own files are parsed, so the
 * graph stops at its edge. Imports TypeScript would elide because they are used only as types
 * stay runtime edges: test reach over-approximates, never misses. Files the parser cannot read
 * are reported and kept as leaves; imports that resolve to nothing are reported. Never fatal
 * for a file. Large projects are read on helper threads too.
 */
export async function readImportGraph(options: ReadImportGraphOptions): Promise<ImportGraph> {
  const settings = normalizeOptions(options);
  const rootPrefix = `${settings.workspaceRoot}/`;
  const toWorkspacePath = (path: string): string =>
    path.startsWith(rootPrefix) ? path.slice(rootPrefix.length) : relative(settings.workspaceRoot, resolve(settings.workspaceRoot, path)).split(sep).join('/');
  const readers = createImportReaderPool(settings.resolver, {
    ...(settings.workerScript !== undefined ? { workerScript: settings.workerScript } : {}),
    ...(settings.threads !== undefined ? { threads: settings.threads } : {}),
  });
  let sourceFiles: string[];
  let symlinksOutside: string[];
  let records: Awaited<ReturnType<ImportReaderPool['read']>>;
  try {
    // helpers start while the listing runs, as soon as it has found enough files to pay for them
    ({ files: sourceFiles, symlinksOutside } = listProjectSourceFiles(settings.workspaceRoot, settings.projectDirectory, (found) => readers.expect(found)));
    records = await readers.read(sourceFiles.map((file) => rootPrefix + file));
  } finally {
    readers.close();
  }

  const insidePrefix = settings.projectRoot === '' ? '' : `${settings.projectRoot}/`;
  const isInside = (path: string): boolean =>
    path.startsWith(insidePrefix) && !path.startsWith('../') && (symlinksOutside.length === 0 || !symlinksOutside.some((link) => path === link || path.startsWith(`${link}/`)));
  const isPackagePath = (path: string): boolean => path.startsWith('../') || path.includes('node_modules/');
  const fileSet = new Set(sourceFiles);
  const bytesByFile = new Map<string, number>();
  const edges: ImportEdge[] = [];
  const crossProjectEdges: ImportEdge[] = [];
  const externalsByFile: Array<[string, string[]]> = [];
  const unresolved: Array<{ file: string; specifier: string }> = [];
  const unparsable: Array<{ file: string; message: string }> = [];
  sourceFiles.forEach((file, index) => {
    const record = records[index] as (typeof records)[number];
    bytesByFile.set(file, record.bytes);
    if (record.error !== undefined) unparsable.push({ file, message: record.error });
    const targets = new Map<string, number>(); // target -> EDGE_* flags
    const externals = new Set<string>();
    for (const entry of record.imports) {
      const target = entry.resolved === undefined ? undefined : toWorkspacePath(entry.resolved);
      if (target === undefined || isPackagePath(target)) {
        if (isPathSpecifier(entry.specifier)) {
          if (!unresolved.some((known) => known.file === file && known.specifier === entry.specifier)) unresolved.push({ file, specifier: entry.specifier });
        } else externals.add(packageNameOf(entry.specifier));
        continue;
      }
      if (target === file) continue;
      const flag = entry.typeOnly ? EDGE_TYPE : entry.dynamic ? EDGE_DYNAMIC : EDGE_STATIC;
      targets.set(target, (targets.get(target) ?? 0) | flag);
    }
    for (const to of [...targets.keys()].sort(compareStrings)) {
      const flags = targets.get(to) as number;
      const edge = { from: file, to, typeOnly: (flags & (EDGE_STATIC | EDGE_DYNAMIC)) === 0, dynamic: (flags & EDGE_STATIC) === 0 && (flags & EDGE_DYNAMIC) !== 0 };
      if (isInside(to)) {
        fileSet.add(to); // imported json, css: they move with their importers
        edges.push(edge);
      } else crossProjectEdges.push(edge);
    }
    if (externals.size > 0) externalsByFile.push([file, [...externals].sort(compareStrings)]);
  });
  const fileList = fileSet.size === sourceFiles.length ? sourceFiles : [...fileSet].sort(compareStrings);

  const testFilePattern = settings.testFilePattern;
  const files: ImportGraphFile[] = fileList.map((path) => ({
    path,
    bytes: bytesByFile.get(path) ?? sizeOnDisk(rootPrefix + path),
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
    unparsable,
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
  let tsconfigFile: string | undefined;
  if (options.tsconfigPath !== undefined) {
    tsconfigFile = resolve(workspaceRoot, options.tsconfigPath);
    if (!existsSync(tsconfigFile)) {
      throw new SixtyError('INVALID_ARGUMENT', `tsconfig ${options.tsconfigPath} does not exist`, 'pass an existing tsconfig file, or leave it out to use the nearest tsconfig.json');
    }
  } else {
    // Nx workspaces keep their aliases in tsconfig.base.json, which project tsconfigs extend.
    tsconfigFile = nearestTsconfig(projectDirectory, workspaceRoot) ?? existingFile(join(workspaceRoot, 'tsconfig.base.json'));
  }
  const tsconfig = tsconfigFile === undefined ? undefined : readTsconfigPaths(tsconfigFile);
  const conditions = options.conditions ? [...options.conditions] : [...new Set([...(tsconfig?.customConditions ?? []), ...DEFAULT_CONDITIONS])];
  const entry = options.entry === undefined ? undefined : typeof options.entry === 'string' ? [options.entry] : [...options.entry];
  return {
    workspaceRoot,
    projectRoot,
    projectDirectory,
    resolver: {
      ...(tsconfigFile !== undefined ? { tsconfigFile } : {}),
      conditions,
      moduleSuffixes: tsconfig?.moduleSuffixes && tsconfig.moduleSuffixes.length > 0 ? tsconfig.moduleSuffixes : [''],
    },
    ...(entry ? { entry } : {}),
    // without g/y flags: RegExp#test on a global pattern remembers where it stopped
    testFilePattern: options.testFilePattern ? new RegExp(options.testFilePattern.source, options.testFilePattern.flags.replace(/[gy]/g, '')) : DEFAULT_TEST_FILE_PATTERN,
    ...(options.workerScript !== undefined ? { workerScript: options.workerScript } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  };
}

function existingFile(path: string): string | undefined {
  return existsSync(path) ? path : undefined;
}

function nearestTsconfig(from: string, workspaceRoot: string): string | undefined {
  for (let directory = from; ; directory = resolve(directory, '..')) {
    const candidate = join(directory, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (directory === workspaceRoot || !directory.startsWith(workspaceRoot)) return undefined;
  }
}

function sizeOnDisk(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Relative, absolute or `#` (package.json imports) specifiers name files: when they resolve to nothing, that is a missing file, not a package. */
function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || specifier.startsWith('/') || specifier.startsWith('#');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
