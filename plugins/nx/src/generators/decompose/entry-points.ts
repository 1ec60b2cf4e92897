const INDEX_CANDIDATES = ['src/index.ts', 'src/index.tsx', 'src/index.mts', 'src/index.js', 'src/index.jsx', 'src/index.mjs', 'index.ts', 'index.js', 'index.mjs'];
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };

/**
 * A project's public entry points, workspace-relative: what package.json `exports`, `module` and
 * `main` name (build output mapped back to sources: dist/index.js -> src/index.ts), else
 * src/index.*. The same rule the import graph reader follows, over any file lookup.
 */
export function findEntryPoints(projectRoot: string, manifest: unknown, isProjectFile: (path: string) => boolean): string[] {
  const inProject = (path: string): string => (projectRoot === '' ? path : `${projectRoot}/${path}`);
  const found = new Set<string>();
  for (const target of packageEntryTargets(manifest)) {
    const candidate = sourceCandidates(target.replace(/^\.\//, '')).map(inProject).find(isProjectFile);
    if (candidate !== undefined) found.add(candidate);
  }
  if (found.size === 0) {
    const index = INDEX_CANDIDATES.map(inProject).find(isProjectFile);
    if (index !== undefined) found.add(index);
  }
  return [...found].sort();
}

function sourceCandidates(path: string): string[] {
  const paths = [path];
  const outDir = /^(?:dist|build|lib|out)\/(.*)$/.exec(path);
  if (outDir) paths.push(`src/${outDir[1]}`);
  const candidates: string[] = [];
  for (const candidate of paths) {
    candidates.push(candidate);
    const extension = /\.[cm]?jsx?$/.exec(candidate)?.[0];
    if (extension) for (const ts of TS_FOR_JS[extension] ?? []) candidates.push(candidate.slice(0, -extension.length) + ts);
    if (candidate.endsWith('.d.ts')) candidates.push(candidate.slice(0, -'.d.ts'.length) + '.ts');
  }
  return candidates;
}

/** String targets of package.json `exports` (any condition but types), `module` and `main`. */
export function packageEntryTargets(manifest: unknown): string[] {
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
