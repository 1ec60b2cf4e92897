import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { normalizeOptions, pluginOptionsFromNxJson, SixtyError, type SixtyOptions } from '@sixty/core';

export interface Workspace {
  root: string;
  options: SixtyOptions;
  /** Absolute path of the history directory. */
  historyDir: string;
  pluginRegistered: boolean;
  /** Invalid options, one line each (the defaults were used instead). */
  problems: string[];
  /** nx.json's `parallel`, when set: the default worker count of the schedule prediction. */
  nxParallel: number | undefined;
}

/** The nearest directory at or above `start` that holds nx.json. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Finds the workspace and reads the plugin's options from nx.json, normalized once here. */
export function openWorkspace(cwd: string, env: NodeJS.ProcessEnv = process.env): Workspace {
  const root = findWorkspaceRoot(cwd);
  if (!root) {
    throw new SixtyError(
      'NOT_A_WORKSPACE',
      `${resolve(cwd)} is not inside an Nx workspace (no nx.json found here or above)`,
      'run sixty inside an Nx workspace, or pass --cwd <workspace>',
    );
  }
  const nxJsonText = readFileSync(join(root, 'nx.json'), 'utf8');
  const { registered, options: raw } = pluginOptionsFromNxJson(nxJsonText);
  const { options, problems } = normalizeOptions(raw, env);
  const historyDir = isAbsolute(options.historyDir) ? options.historyDir : join(root, options.historyDir);
  return { root, options, historyDir, pluginRegistered: registered, problems, nxParallel: parallelOf(nxJsonText) };
}

function parallelOf(nxJsonText: string): number | undefined {
  try {
    const nxJson = JSON.parse(nxJsonText) as { parallel?: unknown; tasksRunnerOptions?: { default?: { options?: { parallel?: unknown } } } };
    const value = Number(nxJson.parallel ?? nxJson.tasksRunnerOptions?.default?.options?.parallel);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined; // nx.json with comments: nx's own default applies
  }
}
