// Synthetic Nx workspace generator: the ground for e2e tests, the demo and benchmarks.
//
// It writes a real Nx workspace whose projects import each other, whose build transpiles every
// source file with esbuild and whose tests run under a real runner (node:test by default,
// vitest with runner "vitest") writing JUnit XML. Each file carries its share of its target's
// time (a `sixty-synth cost` marker), so moving files between projects or shards moves their
// cost, as in a real codebase. Deterministic for a seed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Default time of a target when no --duration names it, in ms (spread over its files). */
export const DEFAULT_TARGET_MS = { build: 120, test: 160 };

/** mulberry32: small, fast, good enough for reproducible synthetic data. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** a, b, ..., z, aa, ab, ... */
function letters(index) {
  let name = '';
  let n = index;
  do {
    name = String.fromCharCode(97 + (n % 26)) + name;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return name;
}

/**
 * The projects and their dependencies. The first ~70% are libraries, the rest applications;
 * every project depends only on earlier libraries, so the graph is acyclic.
 */
export function planProjects({ projects, seed }) {
  const random = seededRandom(seed);
  const libCount = projects <= 2 ? projects : Math.max(1, Math.round(projects * 0.7));
  const list = [];
  for (let i = 0; i < projects; i++) {
    const isLib = i < libCount;
    const name = `${isLib ? 'lib' : 'app'}-${letters(isLib ? i : i - libCount)}`;
    const libsBefore = list.filter((p) => p.kind === 'lib');
    const deps = new Set();
    const wanted = libsBefore.length === 0 ? 0 : isLib ? Math.floor(random() * 3) : 1 + Math.floor(random() * 3);
    for (let k = 0; k < wanted; k++) {
      // prefer recent libraries so the graph has depth, not just a star around lib-a
      const span = Math.min(libsBefore.length, 6);
      deps.add(libsBefore[libsBefore.length - 1 - Math.floor(random() * span)].name);
    }
    list.push({ name, kind: isLib ? 'lib' : 'app', root: `${isLib ? 'libs' : 'apps'}/${name}`, dependsOn: [...deps].sort() });
  }
  return list;
}

/** Splits totalMs over n files with uneven, seeded weights; the shares sum to totalMs exactly. */
export function spreadCost(totalMs, n, random) {
  const weights = Array.from({ length: n }, () => 0.4 + random() * 1.2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((totalMs * w) / sum));
  shares[0] += totalMs - shares.reduce((a, b) => a + b, 0);
  return shares;
}

function parseDurations(entries) {
  const durations = new Map();
  for (const entry of entries) {
    const match = /^([^:=]+):([^=]+)=(\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) throw new Error(`--duration "${entry}" must look like PROJECT:TARGET=SECONDS, e.g. lib-c:test=90`);
    durations.set(`${match[1]}:${match[2]}`, Math.round(Number(match[3]) * 1000));
  }
  return durations;
}

const json = (value) => JSON.stringify(value, null, 2) + '\n';

function write(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const identifier = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/** The workload scripts shared by every project (build: esbuild transform; spend: the file's cost). */
const SPEND_SCRIPT = `// Spends a file's cost: sleeps, so parallel runs on few cores still take the intended time.
const cell = new Int32Array(new SharedArrayBuffer(4));
export function spend(ms) {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}
const COST = /sixty-synth cost (\\w+)=(\\d+)ms/;
export function costOf(source, target) {
  const match = COST.exec(source);
  return match && match[1] === target ? Number(match[2]) : 0;
}
`;

const BUILD_SCRIPT = `// Builds the project in the current directory: transpiles each src file with esbuild into
// dist/, spending the file's build cost. A syntax error fails the build like a real compiler.
import { transformSync } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costOf, spend } from './spend.mjs';

const files = readdirSync('src').filter((f) => f.endsWith('.js')).sort();
mkdirSync('dist', { recursive: true });
let failed = 0;
for (const file of files) {
  const source = readFileSync(join('src', file), 'utf8');
  spend(costOf(source, 'build'));
  try {
    const { code } = transformSync(source, { format: 'esm', target: 'node20', sourcefile: join('src', file) });
    writeFileSync(join('dist', file), code);
  } catch (error) {
    failed++;
    console.error(error.message);
  }
}
if (failed > 0) {
  console.error(\`build failed: \${failed} of \${files.length} files have errors\`);
  process.exit(1);
}
console.log(\`built \${files.length} files\`);
`;

function sourceModule(project, index, cost, importsPrevious, broken) {
  const fn = `mod${index}`;
  const lines = [`// sixty-synth cost build=${cost}ms`];
  if (importsPrevious) lines.push(`import { mod${index - 1} } from './mod-${index - 1}.js';`);
  lines.push(`/** Part ${index} of ${project.name}. */`);
  lines.push(`export function ${fn}(x) {`);
  lines.push(`  return x + ${index};`);
  lines.push('}');
  if (importsPrevious) lines.push(`export const chain${index} = () => mod${index - 1}(0) + ${fn}(0);`);
  if (broken) lines.push('export const broken = (;'); // a syntax error: --fail PROJECT:build
  // A real compiler's time grows with a file's size, and sixty's planner estimates build cost by
  // size: about 4 bytes per ms of cost keep the two together (one 64-byte line per 16 ms).
  for (let line = 0; line < Math.round(cost / 16); line++) lines.push(`// ${'build work '.repeat(6).slice(0, 60)}`);
  return lines.join('\n') + '\n';
}

function testFile(project, index, cost, runner, failing) {
  const expected = 2 + index + (failing ? 1 : 0);
  const path = `test/mod-${index}.test.js`;
  const imports =
    runner === 'vitest'
      ? `import { describe, test, expect } from 'vitest';`
      : `import { describe, test } from 'node:test';\nimport assert from 'node:assert/strict';`;
  const check = runner === 'vitest' ? `expect(mod${index}(2)).toBe(${expected});` : `assert.equal(mod${index}(2), ${expected});`;
  return (
    `// sixty-synth cost test=${cost}ms\n${imports}\n` +
    `import { spend } from '../../../scripts/spend.mjs';\n` +
    `import { mod${index} } from '../src/mod-${index}.js';\n\n` +
    `describe('${project.root}/${path}', () => {\n` +
    `  test('mod${index} adds its index', () => {\n` +
    `    spend(${cost});\n` +
    `    ${check}\n` +
    `  });\n});\n`
  );
}

function testCommand(runner) {
  return runner === 'vitest'
    ? 'vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml'
    : 'mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml test/*.test.js';
}

function writeProject(out, project, { files, runner, durations, failures, random }) {
  const dir = join(out, project.root);
  const buildCosts = spreadCost(durations.get(`${project.name}:build`) ?? DEFAULT_TARGET_MS.build, files, random);
  const testCosts = spreadCost(durations.get(`${project.name}:test`) ?? DEFAULT_TARGET_MS.test, files, random);
  for (let i = 1; i <= files; i++) {
    const broken = failures.has(`${project.name}:build`) && i === files;
    write(join(dir, 'src', `mod-${i}.js`), sourceModule(project, i, buildCosts[i - 1], i > 1, broken));
    const failing = failures.has(`${project.name}:test`) && i === files;
    write(join(dir, 'test', `mod-${i}.test.js`), testFile(project, i, testCosts[i - 1], runner, failing));
  }
  const index = [
    ...project.dependsOn.map((dep) => `import * as ${identifier(dep)} from '${dep}';`),
    ...Array.from({ length: files }, (_, i) => `export * from './mod-${i + 1}.js';`),
    `/** How many modules this project and its direct dependencies expose. */`,
    `export function moduleCount() {`,
    `  return ${files}${project.dependsOn.map((dep) => ` + ${identifier(dep)}.moduleCount()`).join('')};`,
    `}`,
  ];
  write(join(dir, 'src', 'index.js'), index.join('\n') + '\n');
  write(
    join(dir, 'package.json'),
    json({
      name: project.name,
      version: '0.0.0',
      private: true,
      type: 'module',
      exports: './src/index.js',
      dependencies: Object.fromEntries(project.dependsOn.map((dep) => [dep, '*'])),
    }),
  );
  write(
    join(dir, 'project.json'),
    json({
      name: project.name,
      $schema: relative(dir, join(out, 'node_modules/nx/schemas/project-schema.json')),
      sourceRoot: `${project.root}/src`,
      projectType: project.kind === 'lib' ? 'library' : 'application',
      tags: [`type:${project.kind}`],
      targets: {
        build: { command: 'node ../../scripts/build.mjs', options: { cwd: project.root } },
        test: { command: testCommand(runner), options: { cwd: project.root } },
      },
    }),
  );
}

/**
 * Links every package of this repo's node_modules into the workspace (so nx, esbuild, vitest
 * and @sixty/* resolve without a download) and each synthetic project under its package name.
 */
function linkNodeModules(out, projects, nxPackage) {
  const target = linkRepoPackages(out, nxPackage);
  for (const project of projects) symlinkSync(join('..', project.root), join(target, project.name));
}

/** Links every package of this repo's node_modules into out/node_modules (nx as the chosen one); returns that folder. */
export function linkRepoPackages(out, nxPackage) {
  const target = join(out, 'node_modules');
  mkdirSync(target, { recursive: true });
  const source = join(REPO_ROOT, 'node_modules');
  for (const entry of readdirSync(source)) {
    if (entry === '.package-lock.json') continue;
    symlinkSync(join(source, entry === 'nx' ? nxPackage : entry), join(target, entry));
  }
  return target;
}

/** Which installed nx a workspace uses: the workspace's pinned nx, or the newest major. */
export const NX_PACKAGES = { workspace: 'nx', latest: 'nx-latest' };

/**
 * Writes the workspace. Options: out, projects, files (per project), seed, durations
 * (["lib-c:test=90"]), fail (["lib-b:test"]), runner ("node" | "vitest"), git (init + commit),
 * init (register the plugin with `sixty init`), budgetSeconds (the plugin's budget, default 60),
 * nx ("workspace" | "latest"), link (false: no node_modules and no init; the caller installs
 * the packages itself, as the install test does).
 */
export function generateWorkspace(options) {
  const settings = {
    projects: 10,
    files: 4,
    seed: 1,
    durations: [],
    fail: [],
    runner: 'node',
    git: true,
    init: true,
    budgetSeconds: 60,
    nx: 'workspace',
    link: true,
    ...options,
  };
  if (!NX_PACKAGES[settings.nx]) throw new Error('nx must be "workspace" (22.x) or "latest" (24.x)');
  if (!settings.out) throw new Error('out is required: the directory to write the workspace into');
  if (!Number.isInteger(settings.projects) || settings.projects < 1) throw new Error('projects must be a whole number of at least 1');
  if (!Number.isInteger(settings.files) || settings.files < 1) throw new Error('files must be a whole number of at least 1');
  if (settings.runner !== 'node' && settings.runner !== 'vitest') throw new Error('runner must be "node" or "vitest"');
  const out = resolve(settings.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out} is not empty: pass a new or empty directory`);

  const projects = planProjects(settings);
  const names = new Set(projects.map((p) => p.name));
  const durations = parseDurations(settings.durations);
  for (const key of [...durations.keys(), ...settings.fail]) {
    const [project, target] = key.split(':');
    if (!names.has(project) || (target !== 'build' && target !== 'test')) {
      throw new Error(`"${key}" does not name a synthetic target; projects are ${[...names].slice(0, 5).join(', ')}..., targets build and test`);
    }
  }
  const random = seededRandom(settings.seed * 7919 + 1);
  mkdirSync(out, { recursive: true });
  write(join(out, 'package.json'), json({ name: `synth-${settings.seed}`, version: '0.0.0', private: true, type: 'module' }));
  write(
    join(out, 'nx.json'),
    json({
      $schema: './node_modules/nx/schemas/nx-schema.json',
      namedInputs: { default: ['{projectRoot}/**/*'], production: ['default', '!{projectRoot}/test/**/*'] },
      targetDefaults: {
        build: {
          cache: true,
          dependsOn: ['^build'],
          inputs: ['production', '^production', '{workspaceRoot}/scripts/**/*'],
          outputs: ['{projectRoot}/dist'],
        },
        test: {
          cache: true,
          inputs: ['default', '^production', '{workspaceRoot}/scripts/**/*'],
          outputs: ['{projectRoot}/reports'],
        },
      },
      parallel: 3,
    }),
  );
  write(
    join(out, 'tsconfig.base.json'),
    json({
      compilerOptions: {
        allowJs: true,
        module: 'ESNext',
        moduleResolution: 'Bundler',
        baseUrl: '.',
        paths: Object.fromEntries(projects.map((p) => [p.name, [`${p.root}/src/index.js`]])),
      },
    }),
  );
  write(join(out, '.gitignore'), 'node_modules\ndist\nreports\n.nx\n');
  write(join(out, 'scripts', 'spend.mjs'), SPEND_SCRIPT);
  write(join(out, 'scripts', 'build.mjs'), BUILD_SCRIPT);
  const failures = new Set(settings.fail);
  for (const project of projects) writeProject(out, project, { ...settings, durations, failures, random });
  if (settings.link) linkNodeModules(out, projects, NX_PACKAGES[settings.nx]);

  initAndCommit(out, { init: settings.link && settings.init, git: settings.git, budgetSeconds: settings.budgetSeconds }, 'synthetic workspace');
  return { out, projects };
}

/** Registers the plugin (`sixty init --budget`) when init, then makes the first commit when git. */
export function initAndCommit(out, { init, git: commit, budgetSeconds }, message) {
  if (init) {
    const args = ['init', '--cwd', out, '--budget', String(budgetSeconds)];
    execFileSync(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/sixty.js'), ...args], { stdio: 'pipe' });
  }
  if (commit) {
    const git = (...args) => execFileSync('git', args, { cwd: out, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.email=synth@sixty.dev', '-c', 'user.name=sixty synth', 'commit', '-q', '-m', message);
  }
}

/** Removes a generated workspace (the node_modules links only, never their targets). */
export function removeWorkspace(out) {
  rmSync(out, { recursive: true, force: true });
}
