import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const INDEX_CANDIDATES = ['src/index.ts', 'src/index.tsx', 'src/index.mts', 'src/index.js', 'src/index.jsx', 'src/index.mjs', 'index.ts', 'index.js', 'index.mjs'];
const TS_EXTENSIONS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };

export interface EntryPointOptions {
  /** Absolute project directory. */
  projectDirectory: string;
  /** Workspace-relative project root (`''` for a root project). */
  projectRoot: string;
  /** The project's files, workspace-relative. */
  files: ReadonlySet<string>;
  /** Explicit entries, project-relative or workspace-relative. */
  entry?: readonly string[];
}

/**
 * The project's public entry points: explicit ones, else what package.json `exports`, `main` and
 * `module` name (mapped from build output back to sources: dist/index.js -> src/index.ts),
 * else src/index.*. Only files of the project count.
 */
export function findEntryPoints(options: EntryPointOptions): string[] {
  const inProject = (path: string): string => (options.projectRoot === '' ? path : `${options.projectRoot}/${path}`);
  const found = new Set<string>();
  const consider = (raw: string): void => {
    const path = raw.replace(/^\.\//, '');
    for (const candidate of sourceCandidates(path)) {
      const workspacePath = inProject(candidate);
      if (options.files.has(workspacePath)) {
        found.add(workspacePath);
        return;
      }
    }
  };
  if (options.entry && options.entry.length > 0) {
    for (const entry of options.entry) {
      const prefix = options.projectRoot === '' ? '' : `${options.projectRoot}/`;
      if (prefix !== '' && entry.startsWith(prefix) && options.files.has(entry)) found.add(entry);
      else consider(entry);
    }
    return [...found].sort();
  }
  for (const target of packageEntryTargets(options.projectDirectory)) consider(target);
  if (found.size === 0) {
    const index = INDEX_CANDIDATES.map(inProject).find((candidate) => options.files.has(candidate));
    if (index) found.add(index);
  }
  return [...found].sort();
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

/** String targets of package.json `exports` (any condition), `module` and `main`. */
function packageEntryTargets(projectDirectory: string): string[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(projectDirectory, 'package.json'), 'utf8'));
  } catch {
    return [];
  }
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
