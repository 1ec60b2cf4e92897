import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SixtyError, type ProjectDependencies } from '@sixty/core';
import { nxOutputTail, runNx, runNxSync } from './nx-process';

/**
 * nx's graphs as nx writes them to a file (`nx graph --file`, `nx run-many --graph=<file>`): the
 * public way to read them, stable across nx 20 to 24, where the in-process APIs move between
 * versions. One temporary directory per read, removed after it.
 */

/** What nx wrote, or why it wrote nothing. */
export type GraphFileRead = { ok: true; data: unknown } | { ok: false; reason: string };

function withGraphFile<T>(read: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sixty-graph-'));
  try {
    return read(join(dir, 'graph.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `nx <argsFor(file)>` to its end and parses the file it wrote (blocking). */
export function readGraphFile(workspaceRoot: string, argsFor: (file: string) => string[], env: NodeJS.ProcessEnv = process.env): GraphFileRead {
  return withGraphFile((file) => {
    const result = runNxSync(workspaceRoot, argsFor(file), env);
    if (result.status !== 0) return { ok: false, reason: nxOutputTail(result) };
    try {
      return { ok: true, data: JSON.parse(readFileSync(file, 'utf8')) as unknown };
    } catch (error) {
      return { ok: false, reason: `nx wrote no readable graph (${error instanceof Error ? error.message : String(error)})` };
    }
  });
}

/** The same without blocking the event loop (a dispatch). */
export async function readGraphFileAsync(workspaceRoot: string, argsFor: (file: string) => string[], env: NodeJS.ProcessEnv): Promise<GraphFileRead> {
  const dir = mkdtempSync(join(tmpdir(), 'sixty-graph-'));
  const file = join(dir, 'graph.json');
  try {
    const result = await runNx(workspaceRoot, argsFor(file), env);
    if (result.code !== 0) return { ok: false, reason: nxOutputTail(result) };
    return { ok: true, data: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One project of nx's project graph: its root and its resolved targets (targetDefaults merged). */
export interface GraphProject {
  root: string;
  targets: Record<string, Record<string, unknown>>;
}

/** nx's project graph: every project and the workspace projects each depends on (npm packages left out). */
export interface NxProjectGraph {
  projects: Map<string, GraphProject>;
  projectDependencies: ProjectDependencies;
}

interface ProjectGraphFile {
  graph?: {
    nodes?: Record<string, { name?: string; data?: { root?: string; targets?: Record<string, Record<string, unknown>> } }>;
    dependencies?: Record<string, Array<{ target: string }>>;
  };
}

/** `nx graph --file`: one nx process. */
export function readProjectGraphFromNx(workspaceRoot: string): NxProjectGraph {
  const read = readGraphFile(workspaceRoot, (file) => ['graph', `--file=${file}`]);
  if (!read.ok) throw new SixtyError('NX_FAILED', `nx could not compute the project graph: ${read.reason}`, 'run `nx graph --file=graph.json` to see why');
  const graph = (read.data as ProjectGraphFile).graph;
  const projects = new Map<string, GraphProject>();
  for (const [name, node] of Object.entries(graph?.nodes ?? {})) {
    if (typeof node.data?.root !== 'string') continue;
    projects.set(node.name ?? name, { root: node.data.root, targets: node.data.targets ?? {} });
  }
  const projectDependencies: ProjectDependencies = {};
  for (const name of projects.keys()) {
    projectDependencies[name] = (graph?.dependencies?.[name] ?? []).map((d) => d.target).filter((t) => !t.startsWith('npm:'));
  }
  return { projects, projectDependencies };
}
