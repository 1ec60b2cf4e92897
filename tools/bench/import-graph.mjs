// Benchmark: core's import graph reader (readImportGraph: one in-memory esbuild bundle with a
// metafile, plus a lexer pass for type-only imports) against madge on the same generated
// TypeScript project of 1,000 and 10,000 files. Both are timed as whole processes (spawn to
// exit, `node -e` calling each one's Node API), alternately, and each run's file and edge
// counts are checked against what the generator wrote. Runnable alone:
// node tools/bench/import-graph.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
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
const SIZES = [1_000, 10_000];
const SEED = 11;
const PROJECT_ROOT = 'libs/big';
const ALIAS = '@big';
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');

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
function sixtyScript(workspaceRoot) {
  return `
const { readImportGraph } = require(${JSON.stringify(CORE_PATH)});
readImportGraph({ workspaceRoot: ${JSON.stringify(workspaceRoot)}, projectRoot: ${JSON.stringify(PROJECT_ROOT)} }).then((graph) => {
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

function madgeScript(projectDirectory) {
  return `
const madge = require(${JSON.stringify(repoRequire.resolve('madge'))});
madge(${JSON.stringify(join(projectDirectory, 'src'))}, {
  fileExtensions: ['ts'],
  tsConfig: ${JSON.stringify(join(projectDirectory, 'tsconfig.json'))},
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

/** The build readImportGraph runs, without its boundary plugin: what esbuild alone costs. */
function bareBundleOptions(workspaceRoot, sources) {
  return {
    absWorkingDir: workspaceRoot,
    stdin: { contents: sources.map((file) => `import ${JSON.stringify(file)};`).join('\n'), resolveDir: workspaceRoot, sourcefile: '<bench>', loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    format: 'esm',
    target: 'esnext',
    logLevel: 'silent',
    outfile: join(workspaceRoot, '.bench-import-graph.js'),
    preserveSymlinks: true,
    minifyWhitespace: true,
  };
}

function checkCounts(tool, size, got, expected) {
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
  if (problems.length > 0) throw new Error(`imports: ${tool} on ${size} files did not read the tree: ${problems.join('; ')}`);
}

export async function run({ quick }) {
  const pairsFor = (size) => (quick ? 3 : size >= 10_000 ? 5 : 10);
  const inProcessRuns = quick ? 3 : 10;
  const core = repoRequire(CORE_PATH);
  const esbuild = repoRequire('esbuild');
  const wholeRows = [];
  const countRows = [];
  const inProcessRows = [];
  const setup = [];
  const figures = {};

  for (const size of SIZES) {
    const workspaceRoot = makeTempDir(`imports-${size}`);
    try {
      const expected = writeImportTree(workspaceRoot, { files: size });
      setup.push(
        `${size.toLocaleString('en-US')} files: ${expected.files.toLocaleString('en-US')} .ts files (${expected.tests.toLocaleString('en-US')} tests), ` +
          `${(expected.bytes / 1024 / 1024).toFixed(1)} MiB, ${expected.edges.toLocaleString('en-US')} imports between them: ` +
          `${expected.alias.toLocaleString('en-US')} through the \`${ALIAS}/*\` paths alias, ${expected.jsSuffix.toLocaleString('en-US')} with a .js suffix, ` +
          `${expected.typeOnly.toLocaleString('en-US')} type-only (${expected.elided} of them elided imports without \`type\`), ${expected.dynamic} dynamic`,
      );
      const pairs = pairsFor(size);
      progress(`imports: ${size} files written; sixty and madge alternately, 1 warm-up pair + ${pairs} pairs`);
      const sixtyArgs = ['-e', sixtyScript(workspaceRoot)];
      const madgeArgs = ['-e', madgeScript(expected.projectDirectory)];
      const sixtyMs = [];
      const madgeMs = [];
      const ratios = [];
      let sixtyCounts;
      let madgeCounts;
      for (let pair = -1; pair < pairs; pair++) {
        const a = timeProcess(process.execPath, sixtyArgs, { cwd: REPO_ROOT });
        const b = timeProcess(process.execPath, madgeArgs, { cwd: REPO_ROOT });
        sixtyCounts = JSON.parse(a.stdout);
        madgeCounts = JSON.parse(b.stdout);
        checkCounts('sixty', size, sixtyCounts, expected);
        checkCounts('madge', size, madgeCounts, expected);
        if (pair < 0) continue; // warm-up: file cache, both tools' code
        sixtyMs.push(a.ms);
        madgeMs.push(b.ms);
        ratios.push(b.ms / a.ms);
        progress(`imports: ${size} files, pair ${pair + 1}/${pairs}: sixty ${formatMs(a.ms)}, madge ${formatMs(b.ms)}`);
      }
      const sixty = summarize(sixtyMs);
      const madge = summarize(madgeMs);
      const ratio = summarize(ratios);
      figures[size] = { sixty, madge, ratio };
      wholeRows.push(timingRow(`sixty readImportGraph, ${size.toLocaleString('en-US')} files`, sixty));
      wholeRows.push(timingRow(`madge, ${size.toLocaleString('en-US')} files`, madge));
      result(`imports  ${String(size).padStart(5)} files  sixty ${describeSummary(sixty)}`);
      result(`imports  ${String(size).padStart(5)} files  madge ${describeSummary(madge)}`);
      result(`imports  ${String(size).padStart(5)} files  madge/sixty ${describeSummary(ratio, formatRatio)}`);
      countRows.push([
        `${size.toLocaleString('en-US')} files`,
        `${expected.files.toLocaleString('en-US')} / ${expected.edges.toLocaleString('en-US')}`,
        `${sixtyCounts.files.toLocaleString('en-US')} / ${sixtyCounts.edges.toLocaleString('en-US')} (${sixtyCounts.typeOnly.toLocaleString('en-US')} type-only, ${sixtyCounts.dynamic} dynamic)`,
        `${madgeCounts.files.toLocaleString('en-US')} / ${madgeCounts.edges.toLocaleString('en-US')}${madgeCounts.skipped ? ` (${madgeCounts.skipped} skipped)` : ''}`,
        `${formatRatio(ratio.median)} (${formatRatio(ratio.min)}-${formatRatio(ratio.max)})`,
      ]);

      // in-process, for where the whole-process time goes: esbuild's bundle alone (the floor),
      // and the test reach readImportGraph computes after it
      const sizeLabel = size.toLocaleString('en-US');
      let graph;
      const inProcess = await timeRuns(
        async () => {
          graph = await core.readImportGraph({ workspaceRoot, projectRoot: PROJECT_ROOT });
        },
        { runs: inProcessRuns, warmup: 1 },
      );
      inProcessRows.push(timingRow(`readImportGraph in-process, ${sizeLabel} files (esbuild service running)`, inProcess));
      result(`imports  ${String(size).padStart(5)} files  readImportGraph in-process ${describeSummary(inProcess)}`);
      const sources = graph.files.map((file) => join(workspaceRoot, file.path));
      const bundleOnly = await timeRuns(() => esbuild.build(bareBundleOptions(workspaceRoot, sources)), { runs: inProcessRuns, warmup: 1 });
      inProcessRows.push(timingRow(`esbuild alone: the same one-bundle build with metafile, no plugin, nothing after it, ${sizeLabel} files`, bundleOnly));
      result(`imports  ${String(size).padStart(5)} files  esbuild bundle alone ${describeSummary(bundleOnly)}`);
      const paths = graph.files.map((file) => file.path);
      const tests = graph.files.filter((file) => file.isTest).map((file) => file.path);
      const reach = await timeRuns(() => core.computeTestReach(paths, graph.edges, tests), { runs: inProcessRuns, warmup: 1 });
      const reached = Object.values(graph.testReach).reduce((sum, list) => sum + list.length, 0);
      inProcessRows.push(timingRow(`computeTestReach alone (part of readImportGraph): ${tests.length.toLocaleString('en-US')} tests reaching ${reached.toLocaleString('en-US')} files in all`, reach));
      result(`imports  ${String(size).padStart(5)} files  computeTestReach ${describeSummary(reach)} (${reached} reached)`);
      figures[size].inProcess = inProcess;
      figures[size].bundleOnly = bundleOnly;
      figures[size].reach = reach;
      figures[size].reached = reached;
    } finally {
      removeTempDir(workspaceRoot);
    }
  }
  const startupScript = `require(${JSON.stringify(CORE_PATH)}); require(${JSON.stringify(repoRequire.resolve('esbuild'))}).build({ stdin: { contents: '' }, write: false }).then(() => {})`;
  timeProcess(process.execPath, ['-e', startupScript], { cwd: REPO_ROOT });
  const startup = summarize(Array.from({ length: quick ? 3 : 6 }, () => timeProcess(process.execPath, ['-e', startupScript], { cwd: REPO_ROOT }).ms));
  inProcessRows.push(timingRow('node start-up, require(core), an empty esbuild build (service start), exit', startup));

  const big = figures[10_000];
  const timeMet = big.sixty.median < GOAL_MS;
  const ratioMet = big.ratio.median >= GOAL_RATIO;
  const notes = [
    'Both tools run as `node -e` scripts calling their Node API (sixty: `readImportGraph` from the built core bundle; madge: `madge(dir, ' +
      '{ fileExtensions: [\'ts\'], tsConfig, detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } } })` with ' +
      'its own TypeScript resolution), timed from spawn to exit, alternately (sixty, madge, sixty, madge, ...) after one untimed pair; ' +
      'the ratio is the median of the pair-by-pair ratios madge/sixty.',
    'Every run\'s counts are checked: sixty must find exactly the files, edges, type-only and dynamic edges the generator wrote, with nothing unresolved; ' +
      'madge must list every file and at least 95% of the edges, so neither can be timed reading nothing.',
    'sixty reads more than madge reports here: it also marks tests, finds entry points and public modules, and computes each test\'s runtime reach.',
  ];
  if (!timeMet) {
    notes.push(
      `10,000 files take ${formatMs(big.sixty.median)} as a whole process, over the ${formatMs(GOAL_MS)} goal. In-process readImportGraph takes ${formatMs(big.inProcess.median)}, ` +
        `of which esbuild's one-bundle build alone is ${formatMs(big.bundleOnly.median)} (parsing, resolving and linking 10,000 modules: the floor of this design on this machine) ` +
        `and computeTestReach ${formatMs(big.reach.median)} (${big.reached.toLocaleString('en-US')} test-to-file pairs materialized as sorted path lists, with the garbage collection they cause); ` +
        'start-up is the last table row.',
    );
  }
  if (!ratioMet) notes.push(`madge/sixty is ${formatRatio(big.ratio.median)} at 10,000 files, under the ${GOAL_RATIO}x goal.`);
  return {
    id,
    title: 'Import graph (readImportGraph vs madge)',
    about: [
      'A TypeScript project is generated deterministically (seed ' +
        `${SEED}) in a temporary directory: feature folders of ~100 files under \`${PROJECT_ROOT}/src/\` importing from earlier folders, ` +
        'a test file beside one module in three, `src/index.ts` re-exporting a module of each folder, a tsconfig.base.json with a ' +
        `\`${ALIAS}/*\` paths alias that ${PROJECT_ROOT}/tsconfig.json extends. Imports are relative (\`./x\`, \`../f/x\`), .js-suffixed ` +
        `(\`../f/x.js\` for x.ts), aliased (\`${ALIAS}/f/x\`), type-only (\`import type\`), imports TypeScript elides (a name used only as a type), ` +
        'a few dynamic `import()`, node builtins, and a few two-module import cycles.',
    ],
    setup: [...setup, `1 warm-up pair, then ${pairsFor(1_000)} pairs at 1,000 files and ${pairsFor(10_000)} at 10,000; in-process: 1 warm-up + ${inProcessRuns} runs`],
    tables: [
      { title: 'Whole process (spawn to exit)', columns: TIMING_COLUMNS, rows: wholeRows },
      {
        title: 'What each read (files / import edges) and the ratio',
        columns: [
          { title: 'Tree' },
          { title: 'Written', right: true },
          { title: 'sixty', right: true },
          { title: 'madge', right: true },
          { title: 'madge / sixty (min-max)', right: true },
        ],
        rows: countRows,
      },
      { title: 'In-process and start-up', columns: TIMING_COLUMNS, rows: inProcessRows },
    ],
    goal: {
      text: `10,000 files read in under ${GOAL_MS / 1000} s (whole process), at least ${GOAL_RATIO}x faster than madge on the same tree`,
      figure: `${formatMs(big.sixty.median)} median; madge ${formatMs(big.madge.median)}, ${formatRatio(big.ratio.median)}x (1,000 files: ${formatMs(figures[1_000].sixty.median)}, ${formatRatio(figures[1_000].ratio.median)}x)`,
      met: timeMet && ratioMet,
    },
    notes,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  result(`${section.title}: ${section.goal.figure} (goal: ${section.goal.text}) ${section.goal.met ? 'met' : 'NOT met'}`);
}
