import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TaskArrays } from './indexed-task-graph';
import type { LoopSimulator } from './loop-simulator';
import type { LoopRun } from './loop-times';
import type { ProjectEdges } from './project-dependents';

/**
 * A second thread for the loop simulations of one analysis. Loop times, violation ranking and
 * what-ifs are thousands of independent runs of the same simulation; on a machine with two
 * cores, a helper thread takes about half of them. The runs are listed largest first; the
 * helper claims them from the front, the main thread from the back, one at a time, until they
 * meet, and both write the results into shared memory. The main thread then blocks until the
 * helper's last run is in, so the analysis stays synchronous. The helper never decides
 * anything: whatever it does not finish (it failed or stalled) the main thread simulates
 * itself, with the same result.
 */

/** Slots of the shared control array. */
const RUNS_DONE = 0;
const HELPER_FAILED = 1;

/** How long the main thread waits for a run the helper claimed before simulating it itself. */
const HELPER_GRACE_MS = 5_000;

/** What the helper thread is sent: the simulator's plain arrays and the runs, with shared memory for the answers. */
export interface LoopHelperJob {
  tasks: TaskArrays;
  projects: ProjectEdges;
  projectOfTask: Int32Array;
  parallel: number;
  /** (project, split task or -1, parts) per run, largest first. */
  runs: Int32Array;
  claims: SharedArrayBuffer;
  control: SharedArrayBuffer;
  ms: SharedArrayBuffer;
  taskCounts: SharedArrayBuffer;
}

/**
 * Simulates runs until it meets the other thread (returns how many it simulated): the helper
 * starts at the largest run, the main thread at the smallest, each claiming a run in the
 * shared claims before it simulates it. A thread that is still cold (the main thread in a
 * one-shot command) so only slows down on the small runs. Each result is written before the
 * done count is raised, so a thread that sees the count sees the result.
 */
export function simulateClaimedRuns(
  simulator: LoopSimulator,
  job: Pick<LoopHelperJob, 'runs'>,
  shared: SharedRunState,
  from: 'largest' | 'smallest',
): number {
  const { claims, control, ms, taskCounts } = shared;
  const { runs } = job;
  const count = runs.length / 3;
  let simulated = 0;
  for (let k = 0; k < count; k++) {
    const run = from === 'largest' ? k : count - 1 - k;
    if (Atomics.compareExchange(claims, run, 0, 1) !== 0) break; // the other thread took it, and the rest
    const task = runs[3 * run + 1]!;
    ms[run] = simulator.simulate(runs[3 * run]!, task === -1 ? null : { task, parts: runs[3 * run + 2]! });
    taskCounts[run] = simulator.taskCount;
    simulated++;
    Atomics.add(control, RUNS_DONE, 1);
    Atomics.notify(control, RUNS_DONE);
  }
  return simulated;
}

/** The job's shared memory, as typed arrays. */
export interface SharedRunState {
  /** Per run: 1 once a thread has claimed it. */
  claims: Int32Array;
  control: Int32Array;
  ms: Float64Array;
  taskCounts: Int32Array;
}

export function sharedRunState(job: Pick<LoopHelperJob, 'claims' | 'control' | 'ms' | 'taskCounts'>): SharedRunState {
  return {
    claims: new Int32Array(job.claims),
    control: new Int32Array(job.control),
    ms: new Float64Array(job.ms),
    taskCounts: new Int32Array(job.taskCounts),
  };
}

/** Raises the flag that the helper thread is warmed up (LoopHelper gives it work only then). */
export function markHelperWarm(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** Marks the job failed (the main thread then simulates what is left) and wakes the main thread. */
export function reportHelperFailure(control: Int32Array): void {
  Atomics.store(control, HELPER_FAILED, 1);
  Atomics.notify(control, RUNS_DONE);
}

export class LoopHelper {
  /** The process's helper, kept (idle, unreferenced) for its later analyses, which find it loaded and warm. */
  private static current: LoopHelper | null = null;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    private readonly script: string,
    /** Raised by the thread once it has warmed up. */
    private readonly warmFlag: Int32Array,
  ) {}

  /**
   * The helper thread, started on first use; a new one loads and warms up (about 90 ms, on the
   * other core) while the caller goes on: start it well ahead (prepareGraphAnalysis). Null
   * on a single core or when the helper's script is not there (e.g. running from TypeScript
   * sources): the caller then simulates everything itself.
   */
  static obtain(script: string | null = defaultHelperScript()): LoopHelper | null {
    if (script === null || availableParallelism() < 2) return null;
    if (LoopHelper.current?.script === script) return LoopHelper.current;
    LoopHelper.current?.stop();
    if (!existsSync(script)) return null;
    try {
      const warmFlag = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(script, { workerData: warmFlag.buffer });
      worker.unref(); // never keeps the process alive
      const helper = new LoopHelper(worker, script, warmFlag);
      worker.on('error', () => helper.stop()); // a failed helper only means the main thread does its runs
      worker.once('exit', () => {
        helper.exited = true;
      });
      LoopHelper.current = helper;
      return helper;
    } catch {
      return null;
    }
  }

  /** The process's helper if it is warm: analyses use it only then, as a cold one would slow them down. */
  static warmOne(): LoopHelper | null {
    return LoopHelper.current?.isWarm() ? LoopHelper.current : null;
  }

  /**
   * Simulates the runs on both threads, given each run's task placements (the helper starts
   * from the largest, this thread from the smallest). Returns wall time and task
   * count per run, in the order given.
   */
  simulate(
    simulator: LoopSimulator,
    runs: readonly LoopRun[],
    placements: readonly number[],
  ): { ms: Float64Array; taskCounts: Int32Array; byHelper: number; recovered: number } {
    const order = Int32Array.from(runs.keys()).sort((a, b) => placements[b]! - placements[a]! || a - b);
    const encoded = new Int32Array(3 * runs.length);
    for (let k = 0; k < order.length; k++) {
      const { project, split } = runs[order[k]!]!;
      encoded[3 * k] = project;
      encoded[3 * k + 1] = split ? split.task : -1;
      encoded[3 * k + 2] = split ? split.parts : 1;
    }
    const memory = {
      claims: new SharedArrayBuffer(4 * runs.length),
      control: new SharedArrayBuffer(2 * 4),
      ms: new SharedArrayBuffer(8 * runs.length),
      taskCounts: new SharedArrayBuffer(4 * runs.length),
    };
    const shared = sharedRunState(memory);
    const { control, ms, taskCounts } = shared;
    ms.fill(Number.NaN);
    const { tasks } = simulator;
    const job: LoopHelperJob = {
      tasks: {
        size: tasks.size,
        durationMs: tasks.durationMs,
        unknownDuration: tasks.unknownDuration,
        dependencyStart: tasks.dependencyStart,
        dependencies: tasks.dependencies,
        dependentStart: tasks.dependentStart,
        dependents: tasks.dependents,
      },
      projects: simulator.projects,
      projectOfTask: simulator.projectOfTask,
      parallel: simulator.scheduler.parallel,
      runs: encoded,
      ...memory,
    };
    this.worker.postMessage(job);
    const byMain = simulateClaimedRuns(simulator, job, shared, 'smallest');
    if (!waitForHelper(control, runs.length)) this.stop(); // failed or stuck: the next analysis starts a new one
    // whatever the helper claimed and did not finish
    let recovered = 0;
    for (let k = 0; k < runs.length; k++) {
      if (!Number.isNaN(ms[k]!)) continue;
      recovered++;
      const task = encoded[3 * k + 1]!;
      ms[k] = simulator.simulate(encoded[3 * k]!, task === -1 ? null : { task, parts: encoded[3 * k + 2]! });
      taskCounts[k] = simulator.taskCount;
    }
    // back to the caller's order
    const resultMs = new Float64Array(runs.length);
    const resultCounts = new Int32Array(runs.length);
    for (let k = 0; k < order.length; k++) {
      resultMs[order[k]!] = ms[k]!;
      resultCounts[order[k]!] = taskCounts[k]!;
    }
    return { ms: resultMs, taskCounts: resultCounts, byHelper: runs.length - byMain - recovered, recovered };
  }

  /** Whether the thread has warmed up: until then it would only slow the analysis down. */
  isWarm(): boolean {
    return Atomics.load(this.warmFlag, 0) === 1;
  }

  /**
   * Resolves true once the thread has warmed up (for callers that can wait, like tests), false
   * when it exits first or `timeoutMs` passes.
   */
  async warm(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isWarm() && !this.exited && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.isWarm();
  }

  /** Ends the helper thread (without waiting for it). */
  stop(): void {
    if (LoopHelper.current === this) LoopHelper.current = null;
    void this.worker.terminate();
  }
}

/**
 * Until every run is done (true), or the helper failed or held a run past the grace period
 * (false).
 */
function waitForHelper(control: Int32Array, count: number): boolean {
  const deadline = Date.now() + HELPER_GRACE_MS;
  for (;;) {
    const done = Atomics.load(control, RUNS_DONE);
    if (done >= count) return true;
    if (Atomics.load(control, HELPER_FAILED) === 1) return false;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(control, RUNS_DONE, done, left);
  }
}

/** The helper's script, built next to the bundle that runs this code (core's, or the CLI's). */
function defaultHelperScript(): string | null {
  return typeof __dirname === 'string' ? join(__dirname, 'loop-worker.js') : null;
}
