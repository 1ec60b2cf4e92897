import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SixtyError, type ProjectDependencies } from '@sixty/core';
import { resolveNxBin } from './nx-graph';
import { readCachedProjectGraph } from './nx/workspace-data';

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
  const dir = mkdtempSync(join(tmpdir(), 'sixty-graph-'));
  try {
    const file = join(dir, 'graph.json');
    const result = spawnSync(process.execPath, [resolveNxBin(workspaceRoot), 'graph', `--file=${file}`], {
      cwd: workspaceRoot,
      env: { ...process.env, NX_TUI: 'false' },
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new SixtyError('NX_FAILED', `nx could not compute the project graph: ${(result.stderr || result.stdout).trim().split('\n').slice(-2).join(' ')}`, 'run `nx graph --file=graph.json` to see why');
    }
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { nodes: Record<string, { name: string; data: { root: string; targets?: Record<string, unknown> } }>; dependencies: Record<string, Array<{ target: string }>> };
    };
    const projects = Object.values(data.graph.nodes).map((node) => ({ name: node.name, root: node.data.root, targets: Object.keys(node.data.targets ?? {}) }));
    const projectDependencies: ProjectDependencies = {};
    for (const project of projects) {
      projectDependencies[project.name] = (data.graph.dependencies[project.name] ?? []).map((d) => d.target).filter((t) => !t.startsWith('npm:'));
    }
    return { projects, projectDependencies };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
