import type { ProjectDependencies } from '@sixty/core';
import { readProjectGraphFromNx } from './graph-file';
import { readCachedProjectGraph } from './workspace-data';

export interface ProjectGraphSummary {
  /** Every project with its root and the names of its targets. */
  projects: Array<{ name: string; root: string; targets: string[] }>;
  projectDependencies: ProjectDependencies;
}

/**
 * The workspace's projects and their dependencies: nx's cached graph when there is one (free),
 * else `nx graph --file` (one nx process).
 */
export function readProjectGraph(workspaceRoot: string): ProjectGraphSummary {
  const cached = readCachedProjectGraph(workspaceRoot);
  if (cached) return cached;
  const graph = readProjectGraphFromNx(workspaceRoot);
  return {
    projects: [...graph.projects].map(([name, project]) => ({ name, root: project.root, targets: Object.keys(project.targets) })),
    projectDependencies: graph.projectDependencies,
  };
}
