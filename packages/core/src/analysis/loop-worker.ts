// The helper thread of LoopHelper: builds a LoopSimulator from the arrays it is sent and
// simulates runs claimed from the shared counter until none is left.
import { parentPort } from 'node:worker_threads';
import { reportHelperFailure, simulateClaimedRuns, type LoopHelperJob } from './loop-helper';
import { LoopSimulator } from './loop-simulator';

parentPort?.on('message', (job: LoopHelperJob) => {
  const control = new Int32Array(job.control);
  try {
    const simulator = new LoopSimulator(job.tasks, job.projects, job.projectOfTask, job.parallel);
    simulateClaimedRuns(simulator, job.runs, control, new Float64Array(job.ms), new Int32Array(job.taskCounts));
  } catch {
    reportHelperFailure(control);
  }
});
