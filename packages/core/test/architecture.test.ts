import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule of docs/ARCHITECTURE.md, checked on the source: never import upward.
 * core's folders are layers, lowest first; a folder may import its own layer and the ones
 * below. The packages are layers too: core < agent < cli / plugin.
 */
const CORE_LAYERS = [
  'errors',
  'text',
  'secrets',
  'history',
  'config',
  'stats',
  'workspace-files',
  'imports',
  'plan',
  'apply',
  'baseline',
  'sharding',
  'decompose',
  'analysis',
  'report',
  'check',
  'dispatch',
];

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CORE_SRC = join(REPO, 'packages', 'core', 'src');

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Every module specifier a file imports, re-exports, requires or imports dynamically. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) found.push(match[1]!);
  return found;
}

/** core's folder of a file under packages/core/src (a file at the top is the barrel: '.'). */
const coreFolder = (file: string): string => {
  const parts = relative(CORE_SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : '.';
};

function coreFolderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(CORE_SRC)) {
    const from = coreFolder(file);
    if (from === '.') continue;
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const to = coreFolder(resolve(dirname(file), specifier));
      if (to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  return edges;
}

/** The file a relative specifier names: `./a` is `./a.ts` or `./a/index.ts`. */
function resolveSourceFile(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = resolve(dirname(from), specifier).replace(/\.(js|mjs|cjs)$/, '');
  return [`${base}.ts`, `${base}.mts`, `${base}.cts`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
}

/** Cycles between the source files of a folder tree (strongly connected components of two or more files, or a file importing itself). */
function fileCycles(dir: string): string[][] {
  const files = sourceFiles(dir);
  const known = new Set(files);
  const imports = new Map(files.map((file) => [file, specifiers(readFileSync(file, 'utf8')).filter((s) => s.startsWith('.')).map((s) => resolveSourceFile(file, s, known)).filter((f): f is string => f !== undefined)]));
  // Tarjan's strongly connected components
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of imports.get(file)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(relative(REPO, member));
      if (member === file) break;
    }
    if (component.length > 1 || imports.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

describe('layers', () => {
  const edges = coreFolderEdges();

  it('every folder of core has a place in the layer order', () => {
    const folders = readdirSync(CORE_SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const unplaced = folders.filter((folder) => !CORE_LAYERS.includes(folder));
    expect(unplaced, 'add each new folder to CORE_LAYERS here and to the layer picture in docs/ARCHITECTURE.md').toEqual([]);
  });

  it('no folder of core imports a folder above it', () => {
    const upward: string[] = [];
    for (const [from, targets] of edges) {
      for (const to of targets) if (CORE_LAYERS.indexOf(to) > CORE_LAYERS.indexOf(from)) upward.push(`${from} -> ${to}`);
    }
    expect(upward.sort(), 'an import upward: move the shared piece down a layer').toEqual([]);
  });

  it('no two source files import each other, directly or around a cycle', () => {
    const cycles = ['packages/core/src', 'packages/agent/src', 'packages/cli/src', 'plugins/nx/src'].flatMap((dir) => fileCycles(join(REPO, dir)));
    expect(cycles, 'a file cycle: move what both need into a file of its own').toEqual([]);
  });

  it('core imports no Nx, no other sixty package and nothing that prints or spawns', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(CORE_SRC)) {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        if (/^(nx|@nx\/|@sixty\/|sixty$|openai$)/.test(specifier) || /^(node:)?child_process$/.test(specifier)) offending.push(`${relative(REPO, file)}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('in the CLI only the adapters start nx or git: child processes come from nx/, git/, process/ and the agent and test-runner launchers', () => {
    const launchers = new Set([
      'packages/cli/src/nx/nx-process.ts',
      'packages/cli/src/git/run-git.ts',
      'packages/cli/src/process/run-process.ts',
      'packages/cli/src/dispatch/agent-process.ts', // the coding agent
      'packages/cli/src/dispatch/agent-sandbox.ts', // bwrap, probed
      'packages/cli/src/runner-test-files.ts', // vitest list / jest --listTests
    ]);
    const spawning = sourceFiles(join(REPO, 'packages/cli/src'))
      .filter((file) => specifiers(readFileSync(file, 'utf8')).some((specifier) => /^(node:)?child_process$/.test(specifier)))
      .map((file) => relative(REPO, file).split(sep).join('/'));
    expect(spawning.filter((file) => !launchers.has(file)), 'start nx through nx/nx-process.ts and git through git/run-git.ts').toEqual([]);
  });

  it('the agent imports core only; the CLI and the plugin never import each other', () => {
    const offending: string[] = [];
    const check = (dir: string, forbidden: RegExp): void => {
      for (const file of sourceFiles(join(REPO, dir))) {
        for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
          const escapes = specifier.startsWith('.') && relative(join(REPO, dir), resolve(dirname(file), specifier)).startsWith('..');
          if (forbidden.test(specifier) || escapes) offending.push(`${relative(REPO, file)}: ${specifier}`);
        }
      }
    };
    check('packages/agent/src', /^(nx|@nx\/|@sixty\/nx|sixty$)/);
    check('packages/cli/src', /^@sixty\/nx/);
    check('plugins/nx/src', /^(sixty$|@sixty\/agent)/);
    expect(offending).toEqual([]);
  });
});
