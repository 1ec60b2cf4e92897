// Benchmark: `sixty check`'s test selection against `nx affected -t build,test` on one-file
// changes. A synthetic workspace (tools/synth, git, plugin registered) gets, in each of its
// projects' test folders, one extra test that imports a dependency through its package name, so
// test reach crosses projects. Each round picks a random module (seeded) and changes its return
// value, which makes the tests that reach it fail. Both sides then run on that change, each
// with a cache of its own that was warmed on the unchanged tree, in alternating order:
//   A  `sixty check --targets build,test --json` (selection on: no CI)
//   B  `nx affected -t build,test` (what a check without selection runs)
// Never miss: every test task B finds failing, A must find failing too. Loop time: the p90 of
// each side's whole-process wall time over the rounds, and their ratio.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace, planProjects, seededRandom } from '../synth/synth.mjs';
import { NX_ENV, REPO_ROOT, TIMING_COLUMNS, describeSummary, formatMs, makeTempDir, nxBin, progress, removeTempDir, result, summarize, timeProcess, timingRow } from './lib.mjs';

export const id = 'selection';
export const GOAL_RATIO = 3;
const PROJECTS = 12;
const FILES = 6;
const SEED = 11;
const TEST_SECONDS = 6;
const CLI = join(REPO_ROOT, 'packages/cli/bin/sixty.js');

const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.email=bench@sixty.dev', '-c', 'user.name=bench', ...args], { cwd, encoding: 'utf8' });

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The test tasks nx names under "Failed tasks:" in its summary. */
function nxFailedTests(output) {
  const at = output.lastIndexOf('Failed tasks:');
  if (at < 0) return [];
  return [...output.slice(at).matchAll(/^\s*- (\S+:test)\s*$/gm)].map((match) => match[1]).sort();
}

export async function run({ quick }) {
  const rounds = quick ? 8 : 40;
  const workspace = makeTempDir('selection');
  let cacheRoot;
  try {
    progress(`selection: generating a ${PROJECTS}-project workspace (seed ${SEED}, ${FILES} modules each)`);
    // test targets of a few seconds (as real suites are), builds of the synthetic default
    const durations = planProjects({ projects: PROJECTS, seed: SEED }).map((project) => `${project.name}:test=${TEST_SECONDS}`);
    const { projects } = generateWorkspace({ out: workspace, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: true, durations });
    // one test per project that reaches a dependency through its package name
    for (const project of projects) {
      const dep = project.dependsOn[0];
      if (!dep) continue;
      writeFileSync(
        join(workspace, project.root, 'test', 'uses-dependency.test.js'),
        `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { mod2 } from '${dep}';\n\ntest('${project.name} sees ${dep} mod2', () => {\n  assert.equal(mod2(2), 4);\n});\n`,
      );
    }
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-qm', 'cross-project tests');
    const nx = nxBin(workspace);
    const env = { ...process.env, ...NX_ENV };
    delete env.CI;
    // outside the workspace: untracked files in it would be changes to both sides
    cacheRoot = makeTempDir('selection-caches');
    const caches = { A: join(cacheRoot, 'a'), B: join(cacheRoot, 'b') };
    for (const dir of Object.values(caches)) mkdirSync(dir, { recursive: true });
    const envFor = (side) => ({ ...env, NX_CACHE_DIRECTORY: caches[side] });
    progress('selection: warming both caches on the unchanged tree (not counted)');
    for (const side of ['A', 'B']) timeProcess(process.execPath, [nx.bin, 'run-many', '-t', 'build,test'], { cwd: workspace, env: envFor(side) });

    const random = seededRandom(SEED);
    const walls = { A: [], B: [] };
    let misses = 0;
    let caught = 0;
    const missed = [];
    for (let round = 0; round < rounds; round++) {
      const project = projects[Math.floor(random() * projects.length)];
      const module = 1 + Math.floor(random() * FILES);
      const file = join(workspace, project.root, 'src', `mod-${module}.js`);
      const source = readFileSync(file, 'utf8');
      // a fresh wrong value each round, so neither cache has seen this tree
      writeFileSync(file, source.replace(/return x \+ (\d+);/, (_, n) => `return x + ${Number(n) + 1 + round};`));
      const runA = () => {
        const a = timeProcess(process.execPath, [CLI, 'check', '--targets', 'build,test', '--json'], { cwd: workspace, env: envFor('A'), okCodes: [0, 1] });
        walls.A.push(a.ms);
        return JSON.parse(a.stdout).failures.map((failure) => failure.task).filter((task) => task.endsWith(':test')).sort();
      };
      const runB = () => {
        const b = timeProcess(process.execPath, [nx.bin, 'affected', '-t', 'build,test', '--base=HEAD', '--outputStyle=static'], { cwd: workspace, env: envFor('B'), okCodes: [0, 1] });
        walls.B.push(b.ms);
        return nxFailedTests(b.stdout + b.stderr);
      };
      let failedA;
      let failedB;
      if (round % 2 === 0) [failedA, failedB] = [runA(), runB()];
      else [failedB, failedA] = [runB(), runA()];
      const miss = failedB.filter((task) => !failedA.includes(task));
      caught += failedB.length;
      if (miss.length > 0) {
        misses += miss.length;
        missed.push(`${project.name}/mod-${module}: ${miss.join(', ')}`);
      }
      result(`selection  round ${round + 1}: ${project.name}/src/mod-${module}.js  sixty check ${formatMs(walls.A.at(-1))}  nx affected ${formatMs(walls.B.at(-1))}  failing tests nx ${failedB.length}, sixty ${failedA.length}${miss.length ? `  MISSED ${miss.join(', ')}` : ''}`);
      writeFileSync(file, source);
    }
    const p90A = percentile(walls.A, 90);
    const p90B = percentile(walls.B, 90);
    const ratio = p90B / p90A;
    result(`selection  A, sixty check      ${describeSummary(summarize(walls.A))}  p90 ${formatMs(p90A)}`);
    result(`selection  B, nx affected      ${describeSummary(summarize(walls.B))}  p90 ${formatMs(p90B)}`);
    result(`selection  p90 ratio B/A ${ratio.toFixed(2)}; failing test tasks nx found ${caught}, sixty missed ${misses}`);
    return {
      id,
      title: 'Test selection: loop time and misses',
      about: [
        `A synthetic workspace (tools/synth, ${PROJECTS} projects of ${FILES} modules, seed ${SEED}, git, plugin registered, each test target ` +
          `${TEST_SECONDS} s spread over its files), with one test per ` +
          'project that imports a dependency by its package name. Each of the rounds changes the return value of one random module (seeded), ' +
          'which fails the tests that reach it, then runs `sixty check --targets build,test --json` (A, test selection on) and ' +
          '`nx affected -t build,test --base=HEAD` (B), in alternating order, each with its own nx cache warmed on the unchanged tree; ' +
          'each timed as a whole process.',
      ],
      setup: [`${rounds} rounds; nx ${nx.version}; environment ${Object.entries(NX_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}, no \`CI\``],
      tables: [{ title: 'Wall time per one-file change', columns: TIMING_COLUMNS, rows: [timingRow('A, sixty check', summarize(walls.A)), timingRow('B, nx affected -t build,test', summarize(walls.B))] }],
      goal: {
        text: `0 failing test tasks missed; p90 of sixty check at least ${GOAL_RATIO}x lower than nx affected -t build,test`,
        figure: `${misses} missed of ${caught}; p90 ${formatMs(p90A)} vs ${formatMs(p90B)} (${ratio.toFixed(2)}x)`,
        met: misses === 0 && ratio >= GOAL_RATIO,
      },
      notes: missed.length > 0 ? [`Missed: ${missed.join('; ')}`] : [],
    };
  } finally {
    removeTempDir(workspace);
    if (cacheRoot) removeTempDir(cacheRoot);
  }
}
