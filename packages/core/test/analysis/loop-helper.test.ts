import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph, prepareGraphAnalysis, type AnalyzeGraphInput } from '@sixty/core';
import { indexTasks } from '../../src/analysis/indexed-task-graph';
import { LoopHelper } from '../../src/analysis/loop-helper';
import { buildLoopTimeModel, type LoopRun } from '../../src/analysis/loop-times';
import { weighTasks } from '../../src/analysis/weighted-task-graph';

let dir = '';
let helperScript = '';
/** The benchmark's 10,000-task graph: big enough for the helper (2,654 runs, with violations and what-ifs). */
let input: AnalyzeGraphInput;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sixty-loop-helper-'));
  helperScript = join(dir, 'loop-worker.js');
  // the helper thread as the build makes it, from the sources under test
  await build({
    entryPoints: [join(__dirname, '../../src/analysis/loop-worker.ts')],
    outfile: helperScript,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  const bench = (await import(pathToFileURL(join(__dirname, '../../../../tools/bench/analysis.mjs')).href)) as {
    syntheticAnalysisInput: () => { input: AnalyzeGraphInput };
  };
  input = bench.syntheticAnalysisInput().input;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bench graph's model and one baseline run per project. */
function modelAndRuns() {
  const weighed = weighTasks(input.taskGraph, input.p90ByTask);
  const indexed = indexTasks(weighed.tasks, weighed.edgeSources, weighed.edgeTargets, () => null);
  const model = buildLoopTimeModel(indexed, input.projectDependencies, input.parallel);
  const runs: LoopRun[] = model.projects.names.map((_name, project) => ({ project, split: null }));
  runs.push({ project: -1, split: { task: 7, parts: 3 } }, { project: 0, split: { task: 5, parts: 2 } });
  const placements = runs.map((run) => (run.project === -1 ? indexed.size : model.loopTaskCount(run.project)));
  const expected = runs.map((run) => model.simulator.simulate(run.project, run.split));
  return { model, runs, placements, expected };
}

/** The bench graph's runs on a warm helper of the script, checked against one thread's answers. */
async function simulateOnHelper(script: string) {
  const { model, runs, placements, expected } = modelAndRuns();
  const helper = LoopHelper.obtain(script)!;
  expect(await helper.warm()).toBe(true);
  const result = helper.simulate(model.simulator, runs, placements);
  expect(Array.from(result.ms)).toEqual(expected);
  return { helper, result };
}

describe('LoopHelper', () => {
  it('shares the runs with its thread and returns what one thread computes', async () => {
    const { result } = await simulateOnHelper(helperScript);
    expect(result.byHelper).toBeGreaterThan(0);
    expect(result.recovered).toBe(0);
  }, 60_000);

  it('simulates itself what a failing helper claimed and did not finish', async () => {
    // says it is warm, then claims 40 runs, answers none of them, and says it failed
    const failing = join(dir, 'failing-worker.js');
    writeFileSync(
      failing,
      `const { parentPort, workerData } = require('node:worker_threads');
      Atomics.store(new Int32Array(workerData), 0, 1);
      parentPort.on('message', (job) => {
        const claims = new Int32Array(job.claims);
        const control = new Int32Array(job.control);
        for (let k = 0; k < 40; k++) Atomics.compareExchange(claims, k, 0, 1);
        Atomics.store(control, 1, 1);
        Atomics.notify(control, 0);
      });`,
    );
    const { helper, result } = await simulateOnHelper(failing);
    expect(result.recovered).toBe(40);
    expect(LoopHelper.obtain(failing)).not.toBe(helper); // a failed helper is replaced
    LoopHelper.obtain(failing)?.stop();
  }, 60_000);

  it('is not there when its script is missing', () => {
    expect(LoopHelper.obtain(join(dir, 'no-such-worker.js'))).toBeNull();
    expect(LoopHelper.obtain(null)).toBeNull();
  });
});

describe('analyzeGraph with a helper thread', () => {
  it('gives exactly the one-thread analysis', async () => {
    const expected = analyzeGraph({ ...input, helperThread: false });
    expect(expected.violations.some((violation) => violation.loopCostExact)).toBe(true);
    expect(expected.whatIf.length).toBe(2);
    prepareGraphAnalysis(input.taskGraph.tasks.length, helperScript);
    expect(await LoopHelper.obtain(helperScript)!.warm()).toBe(true);
    expect(analyzeGraph(input)).toEqual(expected);
    // again, on the thread the first analysis left loaded
    expect(analyzeGraph(input)).toEqual(expected);
  }, 60_000);
});
