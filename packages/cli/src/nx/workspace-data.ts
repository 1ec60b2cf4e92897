import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nxWorkspaceDataDirectory as workspaceDataDirectory, type ProjectDependencies } from '@sixty/core';

/** Where nx keeps its workspace data (the cached project graph), as nx itself resolves it (core's rule, shared with the plugin). */
export function nxWorkspaceDataDirectory(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return workspaceDataDirectory(workspaceRoot, env);
}

/** Each project's root and resolved target configurations (targetDefaults merged), from nx's cached graph; null when it cannot be read. */
export function readCachedProjectTargets(
  workspaceRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, { root: string; targets: Record<string, Record<string, unknown>> }> | null {
  try {
    const data = JSON.parse(readFileSync(join(nxWorkspaceDataDirectory(workspaceRoot, env), 'project-graph.json'), 'utf8')) as {
      nodes: Record<string, { name: string; data: { root: string; targets?: Record<string, Record<string, unknown>> } }>;
    };
    const projects = new Map<string, { root: string; targets: Record<string, Record<string, unknown>> }>();
    for (const node of Object.values(data.nodes)) {
      if (typeof node.name === 'string' && typeof node.data?.root === 'string') projects.set(node.name, { root: node.data.root, targets: node.data.targets ?? {} });
    }
    return projects;
  } catch {
    return null;
  }
}

/**
 * The project graph nx cached during its last computation (`.nx/workspace-data/project-graph.json`),
 * read after `nx affected` ran so no second nx process is needed. An internal file: any
 * surprise in its shape returns null and the caller falls back.
 */
export function readCachedProjectGraph(
  workspaceRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): { projects: Array<{ name: string; root: string; targets: string[] }>; projectDependencies: ProjectDependencies } | null {
  try {
    const data = JSON.parse(readFileSync(join(nxWorkspaceDataDirectory(workspaceRoot, env), 'project-graph.json'), 'utf8')) as {
      nodes: Record<string, { name: string; data: { root: string; targets?: Record<string, unknown> } }>;
      dependencies: Record<string, Array<{ target: string }>>;
    };
    const projects = Object.values(data.nodes).map((node) => ({ name: node.name, root: node.data.root, targets: Object.keys(node.data.targets ?? {}) }));
    const projectDependencies: ProjectDependencies = {};
    for (const project of projects) {
      projectDependencies[project.name] = (data.dependencies[project.name] ?? []).map((d) => d.target).filter((t) => !t.startsWith('npm:'));
    }
    return { projects, projectDependencies };
  } catch {
    return null;
  }
}
