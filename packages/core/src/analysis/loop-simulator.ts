import { appendSetBits } from './bitset';
import type { TaskArrays } from './indexed-task-graph';
import { ListScheduler, type SplitOverlay } from './list-scheduler';
import { ProjectWalker, type ProjectEdges } from './project-dependents';

/**
 * The simulation behind loop times, on plain arrays only (so another thread could build one
 * from what it is sent): the tasks of each project, the reverse project graph walk, Nx's
 * project-dependent counts and one reusable scheduler. simulate(P) runs the loop of a change
 * in project P: P's tasks and those of every project depending on it; their dependencies in
 * other projects come from cache.
 */
export class LoopSimulator {
  readonly scheduler: ListScheduler;
  /** The project graph's edges, as plain arrays. */
  readonly projects: ProjectEdges;
  /** How many tasks the last simulation scheduled (parts of a split task count one each). */
  taskCount = 0;
  private readonly taskStart: Int32Array;
  private readonly tasksOfProject: Int32Array;
  private readonly walker: ProjectWalker;
  private readonly reachedProjects: Int32Array;
  private readonly members: Int32Array;
  /** One bit per task, all clear between loops: sorts a loop's members. */
  private readonly memberBits: Int32Array;
  /**
   * True when every task dependency joins tasks of one project or of a project and one it
   * depends on (as `^target` does): a loop then runs every dependent of each task it runs.
   */
  private readonly followsProjectGraph: boolean;

  constructor(
    readonly tasks: TaskArrays,
    projects: ProjectEdges,
    /** The project index of each task. */
    readonly projectOfTask: Int32Array,
    parallel: number,
  ) {
    const { dependencyStart, dependencies, dependentStart, dependents } = projects;
    this.projects = { dependencyStart, dependencies, dependentStart, dependents };
    const projectCount = projects.dependencyStart.length - 1;
    this.walker = new ProjectWalker(projects);
    this.reachedProjects = new Int32Array(projectCount);
    const projectDependents = new Int32Array(projectCount);
    for (let project = 0; project < projectCount; project++) {
      projectDependents[project] = this.walker.collect(project, 'dependents', this.reachedProjects) - 1;
    }
    const size = tasks.size;
    const taskStart = (this.taskStart = new Int32Array(projectCount + 1));
    for (let task = 0; task < size; task++) taskStart[projectOfTask[task]! + 1]!++;
    for (let project = 0; project < projectCount; project++) taskStart[project + 1]! += taskStart[project]!;
    const fill = taskStart.slice(0, projectCount);
    const tasksOfProject = (this.tasksOfProject = new Int32Array(size));
    for (let task = 0; task < size; task++) tasksOfProject[fill[projectOfTask[task]!]!++] = task;

    this.members = new Int32Array(size);
    this.memberBits = new Int32Array(Math.ceil(size / 32));
    // per task: how many projects depend on its project, transitively (Nx's second sort key)
    const byTask = new Float64Array(size);
    for (let task = 0; task < size; task++) byTask[task] = projectDependents[projectOfTask[task]!]!;
    this.scheduler = new ListScheduler(tasks, parallel, byTask);
    this.followsProjectGraph = taskGraphFollows(tasks, projects, projectOfTask);
  }

  /**
   * The wall time of the loop of a change in `project` or, with project -1, of the whole
   * graph; optionally with one task split. Sets taskCount.
   */
  simulate(project: number, split: SplitOverlay | null): number {
    if (project === -1) {
      const ms = this.scheduler.run(null, this.tasks.size, split);
      this.taskCount = this.scheduler.taskCount;
      return ms;
    }
    const reached = this.walker.collect(project, 'dependents', this.reachedProjects);
    const count = this.collectMembers(reached);
    const ms = count === 0 ? 0 : this.scheduler.run(this.members, count, split, this.followsProjectGraph);
    this.taskCount = count === 0 ? 0 : this.scheduler.taskCount;
    return ms;
  }

  /** The projects a change in `project` affects (it and its dependents); valid until the next call. */
  affectedProjects(project: number): Int32Array {
    return this.reachedProjects.subarray(0, this.walker.collect(project, 'dependents', this.reachedProjects));
  }

  /** How many tasks the loop of a change in one project runs, without simulating it. */
  loopTaskCount(project: number): number {
    const { taskStart } = this;
    const affected = this.affectedProjects(project);
    let count = 0;
    for (let k = 0; k < affected.length; k++) count += taskStart[affected[k]! + 1]! - taskStart[affected[k]!]!;
    return count;
  }

  /** The projects whose change runs the task: its own project and every project it depends on, transitively. */
  projectsRunning(task: number): number[] {
    const reached = this.walker.collect(this.projectOfTask[task]!, 'dependencies', this.reachedProjects);
    return Array.from(this.reachedProjects.subarray(0, reached));
  }

  /**
   * Writes the tasks of the first `reached` projects of reachedProjects into members, in
   * ascending index order as the scheduler takes them, by way of a bitset; returns how many.
   */
  private collectMembers(reached: number): number {
    const { members, memberBits, tasksOfProject, taskStart, reachedProjects } = this;
    let lowWord = memberBits.length;
    let highWord = -1;
    for (let k = 0; k < reached; k++) {
      const affected = reachedProjects[k]!;
      for (let t = taskStart[affected]!; t < taskStart[affected + 1]!; t++) {
        const task = tasksOfProject[t]!;
        const word = task >> 5;
        memberBits[word]! |= 1 << (task & 31);
        if (word < lowWord) lowWord = word;
        if (word > highWord) highWord = word;
      }
    }
    return appendSetBits(memberBits, lowWord, highWord + 1, 0, members, 0, true);
  }
}

/** Whether each task edge stays in one project or follows a direct edge of the project graph. */
function taskGraphFollows(graph: TaskArrays, projects: ProjectEdges, projectOfTask: Int32Array): boolean {
  const { dependencyStart, dependencies } = graph;
  for (let task = 0; task < graph.size; task++) {
    const project = projectOfTask[task]!;
    for (let e = dependencyStart[task]!; e < dependencyStart[task + 1]!; e++) {
      const dependencyProject = projectOfTask[dependencies[e]!]!;
      if (dependencyProject === project) continue;
      let direct = false;
      for (let k = projects.dependencyStart[project]!; k < projects.dependencyStart[project + 1]! && !direct; k++) {
        direct = projects.dependencies[k] === dependencyProject;
      }
      if (!direct) return false;
    }
  }
  return true;
}
