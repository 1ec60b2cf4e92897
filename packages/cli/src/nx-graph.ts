import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SixtyError, type ProjectDependencies, type TaskGraphInput } from '@sixty/core';

/** The graphs the analysis needs, read from the workspace's own nx. */
export interface NxGraphs {
  taskGraph: TaskGraphInput;
  projectDependencies: ProjectDependencies;
  projects: string[];
}

/** Path of the nx CLI the workspace has installed (its package.json "bin"), whatever its version. */
export function resolveNxBin(workspaceRoot: string): string {
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve('nx/package.json', { paths: [workspaceRoot] });
  } catch {
    throw new SixtyError('NX_FAILED', `nx is not installed in ${workspaceRoot}`, 'run `npm install` (or your package manager) in the workspace first');
  }
  const bin = (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { bin?: string | Record<string, string> }).bin;
  const relative = typeof bin === 'string' ? bin : (bin?.nx ?? 'bin/nx.js');
  return join(dirname(packageJsonPath), relative);
}

interface NxGraphFile {
  graph?: { nodes?: Record<string, unknown>; dependencies?: Record<string, Array<{ target: string }>> };
  tasks?: {
    tasks?: Record<string, { id: string; target: { project: string; target: string; configuration?: string } }>;
    dependencies?: Record<string, string[]>;
  };
}

/**
 * Asks nx for the task graph of `targets` without running anything
 * (`nx run-many -t <targets> --graph=<file>`): the public way to get what nx would run,
 * stable across nx 20 to 24, where the in-process APIs move between versions.
 */
export function readNxGraphs(workspaceRoot: string, targets: string[], env: NodeJS.ProcessEnv = process.env): NxGraphs {
  const dir = mkdtempSync(join(tmpdir(), 'sixty-graph-'));
  const file = join(dir, 'graph.json');
  try {
    const result = spawnSync(
      process.execPath,
      [resolveNxBin(workspaceRoot), 'run-many', '-t', targets.join(','), `--graph=${file}`],
      { cwd: workspaceRoot, env: { ...env, NX_TUI: 'false' }, encoding: 'utf8' },
    );
    if (result.status !== 0) {
      const reason = (result.stderr || result.stdout || '').trim().split('\n').filter(Boolean).slice(-3).join(' ');
      throw new SixtyError('NX_FAILED', `nx could not compute the task graph for ${targets.join(', ')}: ${reason}`, 'run `nx run-many -t ' + targets.join(',') + ' --graph=stdout` to see why');
    }
    return parseNxGraphFile(JSON.parse(readFileSync(file, 'utf8')) as NxGraphFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseNxGraphFile(data: NxGraphFile): NxGraphs {
  const tasks = Object.values(data.tasks?.tasks ?? {}).map((task) => ({
    id: task.id,
    project: task.target.project,
    target: task.target.target,
    ...(task.target.configuration ? { configuration: task.target.configuration } : {}),
  }));
  const projectDependencies: ProjectDependencies = {};
  for (const project of Object.keys(data.graph?.nodes ?? {})) {
    projectDependencies[project] = (data.graph?.dependencies?.[project] ?? [])
      .map((dep) => dep.target)
      .filter((target) => !target.startsWith('npm:'));
  }
  return {
    taskGraph: { tasks, dependencies: data.tasks?.dependencies ?? {} },
    projectDependencies,
    projects: Object.keys(projectDependencies).sort(),
  };
}

/**
 * The project graph nx cached during its last computation (`.nx/workspace-data/project-graph.json`),
 * read after `nx affected` ran so no second nx process is needed. An internal file: any
 * surprise in its shape returns null and the caller falls back.
 */
export function readCachedProjectGraph(
  workspaceRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): { projects: Array<{ name: string; root: string }>; projectDependencies: ProjectDependencies } | null {
  const dataDir = env.NX_WORKSPACE_DATA_DIRECTORY ?? join(workspaceRoot, '.nx', 'workspace-data');
  try {
    const data = JSON.parse(readFileSync(join(dataDir, 'project-graph.json'), 'utf8')) as {
      nodes: Record<string, { name: string; data: { root: string } }>;
      dependencies: Record<string, Array<{ target: string }>>;
    };
    const projects = Object.values(data.nodes).map((node) => ({ name: node.name, root: node.data.root }));
    const projectDependencies: ProjectDependencies = {};
    for (const project of projects) {
      projectDependencies[project.name] = (data.dependencies[project.name] ?? []).map((d) => d.target).filter((t) => !t.startsWith('npm:'));
    }
    return { projects, projectDependencies };
  } catch {
    return null;
  }
}
