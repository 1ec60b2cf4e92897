import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const INDEX_CANDIDATES = ['src/index.ts', 'src/index.tsx', 'src/index.mts', 'src/index.js', 'src/index.jsx', 'src/index.mjs', 'index.ts', 'index.js', 'index.mjs'];
const TS_EXTENSIONS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };

export interface EntryPointOptions {
  /** Workspace-relative project root (`''` for a root project). */
  projectRoot: string;
  /** The project's package.json, parsed; anything else (undefined, a string) names no entry. */
  manifest: unknown;
  /** Whether a workspace-relative path is one of the project's files. */
  isProjectFile: (path: string) => boolean;
  /** Explicit entries, project-relative or workspace-relative. */
  entry?: readonly string[];
}

/**
 * The project's public entry points: explicit ones, else what package.json `exports`, `main` and
 * `module` name (mapped from build output back to sources: dist/index.js -> src/index.ts),
 * else src/index.*. Only files of the project count. Over any file lookup, so the import graph
 * reader (disk) and the decompose generator (the Nx Tree) follow the same rule.
 */
export function findEntryPoints(options: EntryPointOptions): string[] {
  const inProject = (path: string): string => (options.projectRoot === '' ? path : `${options.projectRoot}/${path}`);
  const found = new Set<string>();
  const consider = (raw: string): void => {
    const candidate = sourceCandidates(raw.replace(/^\.\//, '')).map(inProject).find(options.isProjectFile);
    if (candidate !== undefined) found.add(candidate);
  };
  if (options.entry && options.entry.length > 0) {
    const prefix = options.projectRoot === '' ? '' : `${options.projectRoot}/`;
    for (const entry of options.entry) {
      if (prefix !== '' && entry.startsWith(prefix) && options.isProjectFile(entry)) found.add(entry);
      else consider(entry);
    }
    return [...found].sort();
  }
  for (const target of packageEntryTargets(options.manifest)) consider(target);
  if (found.size === 0) {
    const index = INDEX_CANDIDATES.map(inProject).find(options.isProjectFile);
    if (index !== undefined) found.add(index);
  }
  return [...found].sort();
}

/** A project's package.json from disk, parsed; undefined when there is none or it is not JSON. */
export function readPackageManifest(projectDirectory: string): unknown {
  try {
    return JSON.parse(readFileSync(join(projectDirectory, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The path itself, TypeScript twins of a .js path, and the same under src/ for build output dirs. */
function sourceCandidates(path: string): string[] {
  const paths = [path];
  const outDir = /^(?:dist|build|lib|out)\/(.*)$/.exec(path);
  if (outDir) paths.push(`src/${outDir[1]}`);
  const candidates: string[] = [];
  for (const candidate of paths) {
    candidates.push(candidate);
    const extension = /\.[cm]?jsx?$/.exec(candidate)?.[0];
    if (extension) for (const ts of TS_EXTENSIONS[extension] ?? []) candidates.push(candidate.slice(0, -extension.length) + ts);
    if (candidate.endsWith('.d.ts')) candidates.push(candidate.slice(0, -'.d.ts'.length) + '.ts');
  }
  return candidates;
}

/** String targets of package.json `exports` (any condition but types), `module` and `main`. */
function packageEntryTargets(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null) return [];
  const record = manifest as Record<string, unknown>;
  const targets: string[] = [];
  const collect = (value: unknown, depth: number): void => {
    if (depth > 8) return;
    if (typeof value === 'string') targets.push(value);
    else if (Array.isArray(value)) for (const item of value) collect(item, depth + 1);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) if (key !== './package.json' && key !== 'types') collect(item, depth + 1);
    }
  };
  collect(record.exports, 0);
  for (const field of ['module', 'main']) if (typeof record[field] === 'string') targets.push(record[field] as string);
  return targets.filter((target) => !target.includes('*'));
}
