// The helper thread of LoopHelper. It first warms up on a small made-up graph, so that its
// simulation code is compiled and optimized before real work arrives (a cold thread would
// crawl through its first runs), and says so in the shared flag. Then, for each job: builds a
// LoopSimulator from the arrays it is sent and simulates runs from the largest down until it
// meets the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { WeightedTask } from './analysis-types';
import { indexTasks } from './indexed-task-graph';
import { markHelperWarm, reportHelperFailure, sharedRunState, simulateClaimedRuns, type LoopHelperJob } from './loop-helper';
import { LoopSimulator } from './loop-simulator';
import { indexProjectGraph } from './project-dependents';

parentPort?.on('message', (job: LoopHelperJob) => {
  const control = new Int32Array(job.control);
  try {
    const simulator = new LoopSimulator(job.tasks, job.projects, job.projectOfTask, job.parallel);
    simulateClaimedRuns(simulator, job, sharedRunState(job), 'largest');
  } catch {
    reportHelperFailure(control);
  }
});

warmUp();
markHelperWarm(new Int32Array(workerData as SharedArrayBuffer));

/** Every loop of a layered graph of 300 projects x 3 tasks, with and without a split, a few times over. */
function warmUp(): void {
  let seed = 60;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const projectDependencies: Record<string, string[]> = {};
  const tasks: WeightedTask[] = [];
  const sources: number[] = [];
  const targets: number[] = [];
  for (let p = 0; p < 300; p++) {
    const dependencies = p === 0 ? [] : [Math.floor(random() * p), Math.floor(random() * p)];
    projectDependencies[`p${p}`] = dependencies.map((d) => `p${d}`);
    for (const target of ['build', 'test', 'lint']) {
      tasks.push({ id: `p${p}:${target}`, project: `p${p}`, target, durationMs: Math.round(1000 + random() * 9000), estimated: false });
    }
    const build = 3 * p;
    sources.push(build); // test on its own build
    targets.push(build + 1);
    for (const d of new Set(dependencies)) {
      sources.push(3 * d); // build on ^build
      targets.push(build);
    }
  }
  const graph = indexTasks(tasks, sources, targets, () => null);
  const projects = indexProjectGraph(projectDependencies);
  const projectOfTask = Int32Array.from(tasks, (task) => projects.indexOf.get(task.project)!);
  const simulator = new LoopSimulator(graph, projects, projectOfTask, 3);
  for (let round = 0; round < 4; round++) {
    for (let p = 0; p < 300; p++) {
      simulator.simulate(p, null);
      simulator.simulate(p, { task: 1, parts: 3 });
    }
  }
}
