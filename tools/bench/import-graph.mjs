// Benchmark: core's import graph reader (readImportGraph: oxc-parser module records resolved by
// oxc-resolver, on helper threads for large projects) against madge and dependency-cruiser, as
// whole processes on the same generated TypeScript project of 1,000 and 10,000 files and on a
// real library's sources (copied at run time from a fetched repository, never committed). Each
// run's file and edge counts are checked against what the generator wrote. Also: where the
// helper threads start to pay, and how many more tests a change selects now that imports
// TypeScript would elide are runtime edges. Runnable alone: node tools/bench/import-graph.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../synth/synth.mjs';
import {
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  formatRatio,
  makeTempDir,
  progress,
  removeTempDir,
  repoRequire,
  result,
  summarize,
  timeProcess,
  timeRuns,
  timingRow,
} from './lib.mjs';

export const id = 'imports';
export const GOAL_MS = 1000;
export const GOAL_RATIO = 10;
export const REAL_GOAL_MS = 200;
/** dependency-cruiser takes about a minute per 1,000 files here: not run on larger trees. */
const CRUISER_MAX_FILES = 1_000;
const SIZES = [1_000, 10_000];
const SEED = 11;
const PROJECT_ROOT = 'libs/big';
const ALIAS = '@big';
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');
/** The import graph's own entry of the core package: what a process that only reads import graphs loads. */
const IMPORTS_PATH = join(REPO_ROOT, 'packages/core/dist/imports.js');

const WORDS = [
  'account', 'audit', 'billing', 'cache', 'catalog', 'checkout', 'config', 'content', 'customer', 'export',
  'feature', 'feed', 'files', 'graph', 'i18n', 'identity', 'import', 'inventory', 'invoice', 'jobs',
  'ledger', 'mail', 'media', 'metrics', 'notify', 'orders', 'payments', 'pricing', 'profile', 'queue',
  'rates', 'report', 'search', 'session', 'shipping', 'storage', 'sync', 'tax', 'tenant', 'ui',
];
const NOUNS = ['model', 'service', 'store', 'mapper', 'parser', 'format', 'rules', 'client', 'state', 'utils', 'schema', 'events', 'view', 'hooks', 'query', 'cache'];

function camel(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}
function pascal(name) {
  const c = camel(name);
  return c[0].toUpperCase() + c.slice(1);
}

/**
 * The plan of a TypeScript project of about `files` files, in memory: feature folders of ~100
 * files under src/ (a layered DAG: a folder imports from earlier folders), about one file in four
 * a test (`<module>.test.ts` next to its module), src/index.ts re-exporting the first module of
 * each folder. Each module imports 1-3 earlier modules of its folder and 0-2 of earlier folders,
 * written as `./x`, `../f/x`, `../f/x.js` (a .js suffix on a .ts file) or `@big/f/x` (a tsconfig
 * paths alias); one in four adds an `import type`, one in twenty imports a module only for a type
 * without saying so (TypeScript elides it), one in a hundred has an `import()`, one in twenty
 * uses a node builtin; one module in a hundred closes an import cycle with the next one.
 *
 * Returns files as { path (project-relative), isTest, imports: [{ to, kind: 'static'|'type'|'dynamic', style }] },
 * with at most one import per target.
 */
export function planImportTree({ files: wanted, seed = SEED }) {
  const random = seededRandom(seed);
  const perFolder = 100;
  const folderCount = Math.max(1, Math.round((wanted - 2) / perFolder));
  const folders = Array.from({ length: folderCount }, (_, i) => `${WORDS[i % WORDS.length]}${i >= WORDS.length ? `-${Math.floor(i / WORDS.length) + 1}` : ''}`);
  const modulesByFolder = [];
  const files = [];
  let remaining = wanted - 2; // src/index.ts and src/testing/helpers.ts
  for (let f = 0; f < folderCount; f++) {
    const inFolder = f === folderCount - 1 ? remaining : Math.min(remaining, perFolder);
    remaining -= inFolder;
    const moduleCount = Math.max(1, Math.round(inFolder * 0.75));
    const testCount = inFolder - moduleCount;
    const modules = [];
    for (let m = 0; m < moduleCount; m++) {
      const name = `${NOUNS[m % NOUNS.length]}${m >= NOUNS.length ? `-${Math.floor(m / NOUNS.length) + 1}` : ''}`;
      modules.push({ path: `src/${folders[f]}/${name}.ts`, folder: f, index: m, name, isTest: false, imports: [] });
    }
    modulesByFolder.push(modules);
    files.push(...modules);
    // tests for the first testCount modules (spread evenly), next to them
    for (let t = 0; t < testCount; t++) {
      const target = modules[Math.floor((t * moduleCount) / testCount)];
      files.push({ path: target.path.replace(/\.ts$/, '.test.ts'), folder: f, isTest: true, tests: target, imports: [] });
    }
  }
  const helpers = { path: 'src/testing/helpers.ts', isTest: false, imports: [] };
  const index = { path: 'src/index.ts', isTest: false, imports: [] };
  files.push(helpers, index);

  const add = (file, target, kind, style) => {
    if (target === file || file.imports.some((entry) => entry.to === target.path)) return;
    file.imports.push({ to: target.path, kind, style });
  };
  const relativeStyle = (from, to) => {
    if (random() < 0.15) return 'alias';
    return dirname(from.path) !== dirname(to.path) && random() < 0.3 ? 'js-suffix' : 'relative';
  };
  for (const modules of modulesByFolder) {
    for (const module of modules) {
      const { folder, index: m } = module;
      if (m > 0) {
        for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
          const target = modules[m - 1 - Math.floor(random() * random() * m)];
          add(module, target, 'static', random() < 0.1 ? 'alias' : 'relative');
        }
      }
      if (folder > 0) {
        for (let k = Math.floor(random() * 3); k > 0; k--) {
          const other = modulesByFolder[folder - 1 - Math.floor(random() * random() * folder)];
          const target = other[Math.floor(random() * other.length)];
          add(module, target, 'static', relativeStyle(module, target));
        }
      }
      const pickAny = () => {
        const f = Math.floor(random() * (folder + 1));
        const list = modulesByFolder[f];
        const limit = f === folder ? m : list.length;
        return limit > 0 ? list[Math.floor(random() * limit)] : undefined;
      };
      if (random() < 0.25) {
        const target = pickAny();
        if (target) add(module, target, 'type', 'type-keyword');
      }
      if (random() < 0.05) {
        const target = pickAny();
        if (target) add(module, target, 'type', 'elided');
      }
      if (random() < 0.01) {
        const target = pickAny();
        if (target) add(module, target, 'dynamic', 'relative');
      }
      module.builtin = random() < 0.05;
      if (m + 1 < modules.length && random() < 0.01) {
        // a cycle: the next module imports this one too
        add(module, modules[m + 1], 'static', 'relative');
        add(modules[m + 1], module, 'static', 'relative');
      }
    }
  }
  for (const file of files) {
    if (!file.isTest || !file.tests) continue;
    add(file, file.tests, 'static', 'relative');
    if (random() < 0.5) add(file, helpers, 'static', 'relative');
    if (random() < 0.3) {
      const list = modulesByFolder[file.folder];
      add(file, list[Math.floor(random() * list.length)], 'static', random() < 0.5 ? 'alias' : 'relative');
    }
  }
  for (const modules of modulesByFolder) add(index, modules[0], 'static', 'reexport');
  return files;
}

/** The specifier `file` writes for `to` in `style`. */
function specifierFor(file, to, style) {
  if (style === 'alias') return `${ALIAS}/${to.replace(/^src\//, '').replace(/\.ts$/, '')}`;
  let rel = posix.relative(posix.dirname(file.path), to).replace(/\.ts$/, '');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return style === 'js-suffix' ? `${rel}.js` : rel;
}

function exportName(path) {
  const base = posix.basename(path, '.ts');
  const folder = posix.basename(posix.dirname(path));
  return camel(`${folder}-${base}`);
}

/** TypeScript source for one planned file: every value import is used, so no import is elided by accident. */
function sourceOf(file, byPath) {
  const lines = [];
  const uses = [];
  const types = [];
  for (const entry of file.imports) {
    const name = exportName(entry.to);
    const specifier = specifierFor(file, entry.to, entry.style === 'reexport' || entry.style === 'type-keyword' || entry.style === 'elided' ? 'relative' : entry.style);
    if (entry.style === 'reexport') lines.push(`export * from '${specifier}';`);
    else if (entry.kind === 'type' && entry.style === 'type-keyword') {
      lines.push(`import type { ${pascal(name)}Options } from '${specifier}';`);
      types.push(`${pascal(name)}Options`);
    } else if (entry.kind === 'type') {
      lines.push(`import { ${pascal(name)}Options } from '${specifier}';`); // used as a type only: elided
      types.push(`${pascal(name)}Options`);
    } else if (entry.kind === 'dynamic') {
      uses.push(`(await import('${specifier}')).${name}(n)`);
    } else {
      lines.push(`import { ${name} } from '${specifier}';`);
      uses.push(`${name}(n)`);
    }
  }
  if (file.builtin) lines.push(`import { join } from 'node:path';`);
  if (file.path === 'src/index.ts') return `${lines.join('\n')}\n`;
  if (file.isTest) {
    lines.unshift(`import { test } from 'node:test';`, `import assert from 'node:assert/strict';`);
    const subject = exportName(file.tests.path);
    lines.push('');
    lines.push(`test('${subject} returns a number', async () => {`);
    lines.push(`  const n = 3;`);
    lines.push(`  assert.equal(typeof ${subject}(n), 'number');`);
    for (const use of uses.filter((use) => !use.startsWith(`${subject}(`))) lines.push(`  assert.ok(Number.isFinite(${use}));`);
    lines.push(`});`);
    return `${lines.join('\n')}\n`;
  }
  const name = file.path === 'src/testing/helpers.ts' ? 'testingHelpers' : exportName(file.path);
  const isAsync = file.imports.some((entry) => entry.kind === 'dynamic');
  const optionsType = `${pascal(name)}Options`;
  lines.push('');
  lines.push(`export interface ${optionsType} {`);
  lines.push(`  id: string;`);
  lines.push(`  weight: number;`);
  types.forEach((type, i) => lines.push(`  related${i}?: ${type};`));
  lines.push(`}`);
  lines.push('');
  lines.push(`export const ${camel(name).toUpperCase()}_TAG = '${file.path}';`);
  lines.push('');
  lines.push(`export function ${name}(n: number, options?: ${optionsType}): number {`);
  lines.push(`  let total = n * ${byPath.size % 7 + 1} + (options?.weight ?? 0);`);
  lines.push(`  for (let i = 0; i < 3; i++) total += i;`);
  if (file.builtin) lines.push(`  total += join('a', String(n)).length;`);
  for (const use of uses.filter((use) => !use.startsWith('(await'))) lines.push(`  total += ${use};`);
  lines.push(`  return total;`);
  lines.push(`}`);
  if (isAsync) {
    lines.push('');
    lines.push(`export async function ${name}Lazy(n: number): Promise<number> {`);
    for (const use of uses.filter((use) => use.startsWith('(await'))) lines.push(`  n += ${use};`);
    lines.push(`  return n;`);
    lines.push(`}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the planned project under `workspaceRoot` (tsconfig.base.json with the `@big/*` alias,
 * libs/big/tsconfig.json extending it) and returns what a reader should find.
 */
export function writeImportTree(workspaceRoot, { files: wanted, seed = SEED }) {
  const files = planImportTree({ files: wanted, seed });
  const byPath = new Map(files.map((file) => [file.path, file]));
  writeFileSync(
    join(workspaceRoot, 'tsconfig.base.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          strict: true,
          skipLibCheck: true,
          baseUrl: '.',
          paths: { [`${ALIAS}/*`]: [`${PROJECT_ROOT}/src/*`], [ALIAS]: [`${PROJECT_ROOT}/src/index.ts`] },
        },
      },
      null,
      2,
    )}\n`,
  );
  const projectDirectory = join(workspaceRoot, PROJECT_ROOT);
  mkdirSync(projectDirectory, { recursive: true });
  writeFileSync(join(projectDirectory, 'tsconfig.json'), `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src/**/*.ts'] }, null, 2)}\n`);
  writeFileSync(join(projectDirectory, 'package.json'), `${JSON.stringify({ name: ALIAS, version: '0.0.0', type: 'module' }, null, 2)}\n`);
  const directories = new Set();
  let bytes = 0;
  for (const file of files) {
    const absolute = join(projectDirectory, file.path);
    const directory = dirname(absolute);
    if (!directories.has(directory)) {
      mkdirSync(directory, { recursive: true });
      directories.add(directory);
    }
    const text = sourceOf(file, byPath);
    bytes += Buffer.byteLength(text);
    writeFileSync(absolute, text);
  }
  const edges = files.flatMap((file) => file.imports.map((entry) => ({ ...entry, from: file.path })));
  const count = (predicate) => edges.filter(predicate).length;
  return {
    projectDirectory,
    /** Workspace-relative `from>to` of the imports written without `type` and used only as types. */
    elidedPairs: new Set(edges.filter((edge) => edge.style === 'elided').map((edge) => `${PROJECT_ROOT}/${edge.from}>${PROJECT_ROOT}/${edge.to}`)),
    files: files.length,
    tests: files.filter((file) => file.isTest).length,
    bytes,
    edges: edges.length,
    typeOnly: count((edge) => edge.kind === 'type'),
    dynamic: count((edge) => edge.kind === 'dynamic'),
    alias: count((edge) => edge.style === 'alias'),
    jsSuffix: count((edge) => edge.style === 'js-suffix'),
    elided: count((edge) => edge.style === 'elided'),
  };
}

/**
 * The same planned project as readImportGraph would return it, without writing it: workspace-relative
 * paths under `projectRoot`, sizes of the sources writeImportTree would write, the import edges
 * (type-only and dynamic marked), src/index.ts as the entry and the modules it re-exports as public.
 */
export function importTreeGraph({ files: wanted, seed = SEED, projectRoot = PROJECT_ROOT }) {
  const files = planImportTree({ files: wanted, seed });
  const byPath = new Map(files.map((file) => [file.path, file]));
  const at = (path) => `${projectRoot}/${path}`;
  const edges = files
    .flatMap((file) => file.imports.map((entry) => ({ from: at(file.path), to: at(entry.to), typeOnly: entry.kind === 'type', dynamic: entry.kind === 'dynamic' })))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const entry = at('src/index.ts');
  return {
    files: files
      .map((file) => ({ path: at(file.path), bytes: Buffer.byteLength(sourceOf(file, byPath)), isTest: file.isTest }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    edges,
    entryPoints: [entry],
    publicModules: [...new Set(edges.filter((edge) => edge.from === entry).map((edge) => edge.to))].sort(),
  };
}

/** `node -e` bodies: each prints { files, edges, ... } of what it read as one JSON line. */
function sixtyScript(workspaceRoot, projectRoot, threads) {
  return `
const { readImportGraph } = require(${JSON.stringify(IMPORTS_PATH)});
readImportGraph({ workspaceRoot: ${JSON.stringify(workspaceRoot)}, projectRoot: ${JSON.stringify(projectRoot)}${threads ? `, threads: ${threads}` : ''} }).then((graph) => {
  process.stdout.write(JSON.stringify({
    files: graph.files.length,
    edges: graph.edges.length,
    typeOnly: graph.edges.filter((edge) => edge.typeOnly).length,
    dynamic: graph.edges.filter((edge) => edge.dynamic).length,
    tests: graph.files.filter((file) => file.isTest).length,
    unresolved: graph.unresolved.length,
    unparsable: graph.unparsable.length,
    entryPoints: graph.entryPoints.length,
  }));
});`;
}

function madgeScript(sourceDirectory, tsconfig) {
  return `
const madge = require(${JSON.stringify(repoRequire.resolve('madge'))});
madge(${JSON.stringify(sourceDirectory)}, {
  fileExtensions: ['ts'],
  tsConfig: ${JSON.stringify(tsconfig)},
  detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
}).then((result) => {
  const tree = result.obj();
  const files = Object.keys(tree);
  process.stdout.write(JSON.stringify({
    files: files.length,
    edges: files.reduce((sum, file) => sum + tree[file].length, 0),
    skipped: result.warnings().skipped.length,
  }));
});`;
}

/** dependency-cruiser's Node API (ESM), TypeScript pre-compilation dependencies (type-only imports) included. */
function cruiserScript(sourceDirectory, tsconfig) {
  return `
Promise.all([import('dependency-cruiser'), import('dependency-cruiser/config-utl/extract-ts-config')]).then(async ([{ cruise }, { default: extractTSConfig }]) => {
  const result = await cruise([${JSON.stringify(sourceDirectory)}], {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: ${JSON.stringify(tsconfig)} },
  }, { extensions: ['.ts', '.js', '.json'] }, { tsConfig: extractTSConfig(${JSON.stringify(tsconfig)}) });
  const inside = result.output.modules.filter((module) => !module.coreModule && !module.couldNotResolve && !module.source.includes('node_modules'));
  process.stdout.write(JSON.stringify({
    files: inside.length,
    edges: inside.reduce((sum, module) => sum + module.dependencies.filter((dependency) => dependency.resolved && !dependency.coreModule && !dependency.couldNotResolve && !dependency.resolved.includes('node_modules')).length, 0),
  }));
});`;
}

function checkCounts(tool, label, got, expected) {
  const problems = [];
  if (got.files !== expected.files) problems.push(`${got.files} files, expected ${expected.files}`);
  if (tool === 'sixty') {
    if (got.edges !== expected.edges) problems.push(`${got.edges} edges, expected ${expected.edges}`);
    if (got.typeOnly !== expected.typeOnly) problems.push(`${got.typeOnly} type-only edges, expected ${expected.typeOnly}`);
    if (got.dynamic !== expected.dynamic) problems.push(`${got.dynamic} dynamic edges, expected ${expected.dynamic}`);
    if (got.tests !== expected.tests) problems.push(`${got.tests} test files, expected ${expected.tests}`);
    if (got.unresolved !== 0 || got.unparsable !== 0) problems.push(`${got.unresolved} unresolved imports, ${got.unparsable} unparsable files`);
  } else if (got.edges < expected.edges * 0.95) {
    problems.push(`${got.edges} edges, expected about ${expected.edges}`);
  }
  if (problems.length > 0) throw new Error(`imports: ${tool} on ${label} did not read the tree: ${problems.join('; ')}`);
}

/**
 * Times tools as whole processes, round-robin (a, b, c, a, b, c, ...) after one untimed round.
 * `tools`: [{ name, args, check(counts), runs? }]; a tool with fewer runs drops out of later rounds.
 */
function timeRoundRobin(label, tools, rounds) {
  const samples = Object.fromEntries(tools.map((tool) => [tool.name, []]));
  const counts = {};
  for (let round = -1; round < rounds; round++) {
    const line = [];
    for (const tool of tools) {
      if (round >= (tool.runs ?? rounds)) continue;
      const run = timeProcess(process.execPath, tool.args, { cwd: REPO_ROOT });
      counts[tool.name] = JSON.parse(run.stdout);
      tool.check(counts[tool.name]);
      if (round >= 0) {
        samples[tool.name].push(run.ms);
        line.push(`${tool.name} ${formatMs(run.ms)}`);
      }
    }
    if (round >= 0) progress(`imports: ${label}, round ${round + 1}/${rounds}: ${line.join(', ')}`);
  }
  return { summaries: Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, summarize(list)])), counts };
}

/** A real library's sources: packages/remeda of the fetched remeda repository, copied (git archive) into `workspaceRoot`. */
const REAL_LIBRARY = { mirror: '/work/.mirror/remeda+remeda/repo', projectRoot: 'packages/remeda', name: 'remeda' };

function copyRealLibrary(workspaceRoot) {
  if (!existsSync(REAL_LIBRARY.mirror)) return undefined;
  const commit = execFileSync('git', ['--git-dir', REAL_LIBRARY.mirror, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const archive = execFileSync('git', ['--git-dir', REAL_LIBRARY.mirror, 'archive', '--format=tar', 'HEAD', REAL_LIBRARY.projectRoot], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', workspaceRoot], { input: archive });
  return commit;
}

/** Tests whose runtime reach includes each module, summed over every module a change could touch. */
function testsSelected(testReach) {
  let total = 0;
  for (const reached of Object.values(testReach)) total += reached.length;
  return total;
}

export async function run({ quick }) {
  const roundsFor = (size) => (quick ? 3 : size >= 10_000 ? 5 : 10);
  const cruiserRuns = quick ? 2 : 3;
  const core = repoRequire(CORE_PATH);
  const wholeRows = [];
  const countRows = [];
  const threadRows = [];
  const setup = [];
  const notes = [];
  const figures = {};

  for (const size of SIZES) {
    const workspaceRoot = makeTempDir(`imports-${size}`);
    try {
      const expected = writeImportTree(workspaceRoot, { files: size });
      // imports TypeScript would elide (no `type`, used only as types) are runtime edges now
      const expectedSixty = { ...expected, typeOnly: expected.typeOnly - expected.elided };
      const sizeLabel = size.toLocaleString('en-US');
      setup.push(
        `${sizeLabel} files: ${expected.files.toLocaleString('en-US')} .ts files (${expected.tests.toLocaleString('en-US')} tests), ` +
          `${(expected.bytes / 1024 / 1024).toFixed(1)} MiB, ${expected.edges.toLocaleString('en-US')} imports between them: ` +
          `${expected.alias.toLocaleString('en-US')} through the \`${ALIAS}/*\` paths alias, ${expected.jsSuffix.toLocaleString('en-US')} with a .js suffix, ` +
          `${expected.typeOnly.toLocaleString('en-US')} type-only (${expected.elided} of them elided imports without \`type\`), ${expected.dynamic} dynamic`,
      );
      const rounds = roundsFor(size);
      progress(`imports: ${size} files written; sixty, madge, dependency-cruiser round-robin, 1 untimed round + ${rounds}`);
      const tsconfig = join(expected.projectDirectory, 'tsconfig.json');
      const source = join(expected.projectDirectory, 'src');
      const { summaries, counts } = timeRoundRobin(`${sizeLabel} files`, [
        { name: 'sixty', args: ['-e', sixtyScript(workspaceRoot, PROJECT_ROOT)], check: (got) => checkCounts('sixty', `${size} files`, got, expectedSixty) },
        { name: 'madge', args: ['-e', madgeScript(source, tsconfig)], check: (got) => checkCounts('madge', `${size} files`, got, expected) },
        ...(size <= CRUISER_MAX_FILES
          ? [{ name: 'dependency-cruiser', args: ['-e', cruiserScript(source, tsconfig)], check: (got) => checkCounts('dependency-cruiser', `${size} files`, got, expected), runs: cruiserRuns }]
          : []),
      ], rounds);
      const ratio = summarize(summaries.madge.samples.map((ms, i) => ms / summaries.sixty.samples[i]));
      const cruiser = summaries['dependency-cruiser'];
      const cruiserRatio = cruiser ? cruiser.median / summaries.sixty.median : undefined;
      figures[size] = { sixty: summaries.sixty, madge: summaries.madge, cruiser, ratio, cruiserRatio };
      for (const name of Object.keys(summaries)) {
        wholeRows.push(timingRow(`${name === 'sixty' ? 'sixty readImportGraph' : name}, ${sizeLabel} files`, summaries[name]));
        result(`imports  ${String(size).padStart(5)} files  ${name} ${describeSummary(summaries[name])}`);
      }
      result(`imports  ${String(size).padStart(5)} files  madge/sixty ${describeSummary(ratio, formatRatio)}`);
      countRows.push([
        `${sizeLabel} files`,
        `${expected.files.toLocaleString('en-US')} / ${expected.edges.toLocaleString('en-US')}`,
        `${counts.sixty.files.toLocaleString('en-US')} / ${counts.sixty.edges.toLocaleString('en-US')} (${counts.sixty.typeOnly.toLocaleString('en-US')} type-only, ${counts.sixty.dynamic} dynamic)`,
        `${counts.madge.files.toLocaleString('en-US')} / ${counts.madge.edges.toLocaleString('en-US')}${counts.madge.skipped ? ` (${counts.madge.skipped} skipped)` : ''}`,
        cruiser ? `${counts['dependency-cruiser'].files.toLocaleString('en-US')} / ${counts['dependency-cruiser'].edges.toLocaleString('en-US')}` : 'not run',
        `${formatRatio(ratio.median)} (${formatRatio(ratio.min)}-${formatRatio(ratio.max)})`,
        cruiser ? formatRatio(cruiserRatio) : 'not run',
      ]);

      // where helper threads pay: the same read with this thread alone and with one helper
      const threadRounds = quick ? 2 : 5;
      const { summaries: threads } = timeRoundRobin(`${sizeLabel} files, threads`, [
        { name: 'one', args: ['-e', sixtyScript(workspaceRoot, PROJECT_ROOT, 1)], check: (got) => checkCounts('sixty', `${size} files`, got, expectedSixty) },
        { name: 'two', args: ['-e', sixtyScript(workspaceRoot, PROJECT_ROOT, 2)], check: (got) => checkCounts('sixty', `${size} files`, got, expectedSixty) },
      ], threadRounds);
      threadRows.push(timingRow(`${sizeLabel} files, this thread alone (threads: 1)`, threads.one));
      threadRows.push(timingRow(`${sizeLabel} files, one helper thread beside it (threads: 2)`, threads.two));
      figures[size].threads = threads;

      // test selection: elided imports as runtime edges (now) vs as type-only edges (the esbuild reader)
      const graph = await core.readImportGraph({ workspaceRoot, projectRoot: PROJECT_ROOT });
      const paths = graph.files.map((file) => file.path);
      const tests = graph.files.filter((file) => file.isTest).map((file) => file.path);
      const before = graph.edges.map((edge) => (expected.elidedPairs.has(`${edge.from}>${edge.to}`) ? { ...edge, typeOnly: true } : edge));
      const selectedNow = testsSelected(graph.testReach);
      const selectedBefore = testsSelected(core.computeTestReach(paths, before, tests));
      figures[size].selection = { selectedNow, selectedBefore, modules: paths.length - tests.length };
    } finally {
      removeTempDir(workspaceRoot);
    }
  }

  // a real library
  const realRoot = makeTempDir('imports-real');
  let real;
  try {
    const commit = copyRealLibrary(realRoot);
    if (commit === undefined) {
      notes.push(`The real library row needs the fetched remeda repository at ${REAL_LIBRARY.mirror}; it was not there, so that row is missing.`);
    } else {
      const projectDirectory = join(realRoot, REAL_LIBRARY.projectRoot);
      const graph = await core.readImportGraph({ workspaceRoot: realRoot, projectRoot: REAL_LIBRARY.projectRoot });
      const sources = graph.files.filter((file) => !file.isTest && /\.[cm]?[jt]sx?$/.test(file.path)).length;
      const expectedReal = { files: graph.files.length, edges: graph.edges.length };
      const rounds = quick ? 3 : 10;
      progress(`imports: ${REAL_LIBRARY.name} copied (${graph.files.length} files); sixty, madge, dependency-cruiser round-robin, 1 untimed round + ${rounds}`);
      const tsconfig = join(projectDirectory, 'tsconfig.json');
      const source = join(projectDirectory, 'src');
      const { summaries, counts } = timeRoundRobin(REAL_LIBRARY.name, [
        {
          name: 'sixty',
          args: ['-e', sixtyScript(realRoot, REAL_LIBRARY.projectRoot)],
          check: (got) => {
            if (got.files !== expectedReal.files || got.edges !== expectedReal.edges) throw new Error(`imports: sixty on ${REAL_LIBRARY.name} read ${got.files} files / ${got.edges} edges, in-process ${expectedReal.files} / ${expectedReal.edges}`);
          },
        },
        { name: 'madge', args: ['-e', madgeScript(source, tsconfig)], check: () => {} },
        { name: 'dependency-cruiser', args: ['-e', cruiserScript(source, tsconfig)], check: () => {}, runs: cruiserRuns },
      ], rounds);
      const { summaries: threads } = timeRoundRobin(`${REAL_LIBRARY.name}, threads`, [
        { name: 'one', args: ['-e', sixtyScript(realRoot, REAL_LIBRARY.projectRoot, 1)], check: () => {} },
        { name: 'two', args: ['-e', sixtyScript(realRoot, REAL_LIBRARY.projectRoot, 2)], check: () => {} },
      ], quick ? 2 : 5);
      threadRows.push(timingRow(`${REAL_LIBRARY.name} (${graph.files.length} files), this thread alone (threads: 1)`, threads.one));
      threadRows.push(timingRow(`${REAL_LIBRARY.name} (${graph.files.length} files), one helper thread beside it (threads: 2)`, threads.two));
      real = { commit, summaries, counts, sources, graph };
      setup.push(
        `${REAL_LIBRARY.name} (\`${REAL_LIBRARY.projectRoot}\` of the fetched repository at ${commit}, copied into a temporary directory at run time): ` +
          `${graph.files.length} files (${sources} sources, ${graph.files.filter((file) => file.isTest).length} tests), ${graph.edges.length} import edges, ` +
          `${graph.unresolved.length} unresolved, ${graph.unparsable.length} unparsable`,
      );
      for (const name of ['sixty', 'madge', 'dependency-cruiser']) {
        wholeRows.push(timingRow(`${name === 'sixty' ? 'sixty readImportGraph' : name}, ${REAL_LIBRARY.name} (${graph.files.length} files)`, summaries[name]));
        result(`imports  ${REAL_LIBRARY.name}  ${name} ${describeSummary(summaries[name])}`);
      }
      countRows.push([
        `${REAL_LIBRARY.name} ${REAL_LIBRARY.projectRoot}`,
        `${graph.files.length} / (real)`,
        `${counts.sixty.files} / ${counts.sixty.edges} (${counts.sixty.typeOnly} type-only, ${counts.sixty.dynamic} dynamic)`,
        `${counts.madge.files} / ${counts.madge.edges}${counts.madge.skipped ? ` (${counts.madge.skipped} skipped)` : ''}`,
        `${counts['dependency-cruiser'].files} / ${counts['dependency-cruiser'].edges}`,
        formatRatio(summaries.madge.median / summaries.sixty.median),
        formatRatio(summaries['dependency-cruiser'].median / summaries.sixty.median),
      ]);
    }
  } finally {
    removeTempDir(realRoot);
  }

  for (const [label, path] of [['require(core), the whole package', CORE_PATH], ['require(core/dist/imports), the import graph alone', IMPORTS_PATH]]) {
    const startupScript = `require(${JSON.stringify(path)})`;
    timeProcess(process.execPath, ['-e', startupScript], { cwd: REPO_ROOT });
    const startup = summarize(Array.from({ length: quick ? 3 : 6 }, () => timeProcess(process.execPath, ['-e', startupScript], { cwd: REPO_ROOT }).ms));
    threadRows.push(timingRow(`node start-up, ${label}, exit`, startup));
  }

  const big = figures[10_000];
  const small = figures[1_000];
  const timeMet = big.sixty.median < GOAL_MS;
  const ratioMet = big.ratio.median >= GOAL_RATIO && small.ratio.median >= GOAL_RATIO;
  const realMet = real === undefined ? false : real.summaries.sixty.median < REAL_GOAL_MS;
  for (const size of SIZES) {
    const { selectedNow, selectedBefore, modules } = figures[size].selection;
    notes.push(
      `Test selection at ${size.toLocaleString('en-US')} files: a change to one module selects the tests whose runtime reach includes it; summed over all ${modules.toLocaleString('en-US')} modules, ` +
        `${selectedNow.toLocaleString('en-US')} test selections with elided imports as runtime edges (this reader) against ${selectedBefore.toLocaleString('en-US')} with them type-only (the esbuild reader): ` +
        `${((selectedNow / selectedBefore - 1) * 100).toFixed(1)}% more tests run per change, on average ${(selectedNow / modules).toFixed(1)} instead of ${(selectedBefore / modules).toFixed(1)}.`,
    );
  }
  notes.unshift(
    'Every tool runs as a `node -e` script calling its Node API, timed from spawn to exit, round-robin (sixty, madge, dependency-cruiser, sixty, ...) after one untimed round: ' +
      'sixty `readImportGraph` from the built core package\'s import-graph entry, `packages/core/dist/imports.js` (helper threads as it chooses them: one per 200 files, up to the cores); madge `madge(src, { fileExtensions: [\'ts\'], tsConfig, ' +
      'detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } } })`; dependency-cruiser `cruise([src], { doNotFollow: node_modules, tsPreCompilationDeps: true, tsConfig })`. ' +
      `dependency-cruiser runs ${cruiserRuns} times per tree, and not on the 10,000-file tree (it took ${formatMs(small.cruiser.median)} on 1,000 files). madge/sixty is the median of the round-by-round ratios; dependency-cruiser/sixty the ratio of medians.`,
    'Every run\'s counts are checked: on the generated trees sixty must find exactly the files, edges, type-only and dynamic edges the generator wrote (imports TypeScript would elide count as runtime edges), with nothing unresolved; ' +
      'madge and dependency-cruiser must list every file and at least 95% of the edges. On the real library sixty\'s whole-process counts must equal an in-process read; the peers\' counts are shown as they come.',
    'sixty reads more than the peers report here: it also marks tests, finds entry points and public modules, and lists unresolved imports and unparsable files.',
  );
  if (!timeMet) notes.push(`10,000 files take ${formatMs(big.sixty.median)} as a whole process, over the ${formatMs(GOAL_MS)} goal on this machine as loaded during the run.`);
  return {
    id,
    title: 'Import graph (readImportGraph vs madge and dependency-cruiser)',
    about: [
      'A TypeScript project is generated deterministically (seed ' +
        `${SEED}) in a temporary directory: feature folders of ~100 files under \`${PROJECT_ROOT}/src/\` importing from earlier folders, ` +
        'a test file beside one module in three, `src/index.ts` re-exporting a module of each folder, a tsconfig.base.json with a ' +
        `\`${ALIAS}/*\` paths alias that ${PROJECT_ROOT}/tsconfig.json extends. Imports are relative (\`./x\`, \`../f/x\`), .js-suffixed ` +
        `(\`../f/x.js\` for x.ts), aliased (\`${ALIAS}/f/x\`), type-only (\`import type\`), imports TypeScript elides (a name used only as a type), ` +
        'a few dynamic `import()`, node builtins, and a few two-module import cycles. ' +
        `The real library is ${REAL_LIBRARY.name}'s \`${REAL_LIBRARY.projectRoot}\`, copied from the fetched repository at run time (not committed).`,
    ],
    setup: [...setup, `1 untimed round, then ${roundsFor(1_000)} rounds at 1,000 files and ${roundsFor(10_000)} at 10,000; thread rows: 1 untimed + ${quick ? 2 : 5} rounds`],
    tables: [
      { title: 'Whole process (spawn to exit)', columns: TIMING_COLUMNS, rows: wholeRows },
      {
        title: 'What each read (files / import edges) and the ratios',
        columns: [
          { title: 'Tree' },
          { title: 'Written', right: true },
          { title: 'sixty', right: true },
          { title: 'madge', right: true },
          { title: 'dependency-cruiser', right: true },
          { title: 'madge / sixty', right: true },
          { title: 'dependency-cruiser / sixty', right: true },
        ],
        rows: countRows,
      },
      { title: 'Helper threads (whole process) and start-up', columns: TIMING_COLUMNS, rows: threadRows },
    ],
    goal: {
      text: `10,000 files read in under ${GOAL_MS / 1000} s (whole process), at least ${GOAL_RATIO}x faster than madge at 10,000 and 1,000 files; a real library under ${REAL_GOAL_MS} ms`,
      figure:
        `${formatMs(big.sixty.median)} median; madge ${formatMs(big.madge.median)}, ${formatRatio(big.ratio.median)}x (1,000 files: ${formatMs(small.sixty.median)}, ${formatRatio(small.ratio.median)}x)` +
        (real ? `; ${REAL_LIBRARY.name} ${real.graph.files.length} files ${formatMs(real.summaries.sixty.median)} (madge ${formatMs(real.summaries.madge.median)}, dependency-cruiser ${formatMs(real.summaries['dependency-cruiser'].median)})` : ''),
      met: timeMet && ratioMet && realMet,
    },
    notes,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  result(`${section.title}: ${section.goal.figure} (goal: ${section.goal.text}) ${section.goal.met ? 'met' : 'NOT met'}`);
  for (const note of section.notes) result(`  ${note}`);
}
