import type { LoopGraph } from './loop-graph';
import { LOOP_REMEDY_COST, type LoopRemedy, type LoopRemedyProvider } from './loop-remedies';

/**
 * For one build target name: the builds an `inputs` plan can narrow to their dependencies'
 * declarations, and the projects whose implementation-only change then leaves them cached.
 */
export interface DeclarationNarrowing {
  target: string;
  /** Task ids (`dep:build`) whose inputs can hash declarations instead of sources (those in place included). */
  narrowedTasks: ReadonlySet<string>;
  /** The narrowed tasks whose inputs already hash declarations (an applied inputs plan). */
  appliedTasks: ReadonlySet<string>;
  /** Projects whose own declarations are hashed: a change to their implementation skips the narrowed builds above them. */
  changedProjects: readonly string[];
}

/**
 * The `inputs` remedies of a loop: when the changed project's `<target>` can give its dependents
 * declaration-only inputs, the loop of an implementation-only change runs those dependents'
 * builds from cache (0 ms). A change to the declarations still runs them: the estimate is for
 * implementation-only changes, and the summary says so.
 */
export function inputsRemedies(narrowings: readonly DeclarationNarrowing[]): LoopRemedyProvider {
  return (loop: LoopGraph): LoopRemedy[] => {
    const remedies: LoopRemedy[] = [];
    for (const { target, narrowedTasks, appliedTasks, changedProjects } of narrowings) {
      if (!changedProjects.includes(loop.project)) continue;
      const cached = loop.tasks.filter((task) => task.project !== loop.project && narrowedTasks.has(task.id)).map((task) => task.id);
      // inputs already in place everywhere in this loop: nothing left to plan
      if (cached.every((task) => appliedTasks.has(task))) continue;
      remedies.push({
        kind: 'inputs',
        slot: `inputs ${loop.project}:${target}`,
        summary: `declaration-only inputs: an implementation-only change in ${loop.project} restores ${cached.length} dependent ${target}${cached.length === 1 ? '' : 's'} from cache`,
        cost: LOOP_REMEDY_COST.inputs,
        edits: [{ kind: 'cached', tasks: cached }],
        command: `sixty plan ${loop.project}:${target} --kind inputs`,
      });
    }
    return remedies;
  };
}
