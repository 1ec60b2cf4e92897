import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTargetInputs, SixtyError, type BuildTargetFacts, type InputsPlan, type InputsVerification } from '@sixty/core';
import { runGit } from '../git/run-git';
import { runNxSync } from '../nx/nx-process';

/** What is appended to a source of the planned project: a statement, so the .js changes and the .d.ts does not. */
const IMPLEMENTATION_ONLY_EDIT = '\nvoid 0;\n';
const MAX_DIFFERENT_FILES = 50;

/**
 * Builds the plan in a scratch copy of the workspace (its git-listed files, node_modules linked,
 * nx's cache and workspace data inside the copy):
 * 1. the new inputs in place, every build once (the cache now holds each dependent's output);
 * 2. an implementation-only edit to the planned project, the builds again: nx says which ran and
 *    which came from cache; their outputs are hashed;
 * 3. today's inputs back, the outputs removed, a full build with the cache skipped; hashed again.
 * The outputs of 2 and 3 must be byte-identical: the dependents compile against declarations only.
 */
export function verifyInputsPlan(workspaceRoot: string, plan: InputsPlan, facts: ReadonlyMap<string, BuildTargetFacts>): InputsVerification {
  const [project = '', targetName = ''] = plan.task.split(':');
  const own = facts.get(project);
  if (!own) throw new SixtyError('INVALID_ARGUMENT', `${project} has no ${targetName} target`, 'plan a build target');
  const scratch = mkdtempSync(join(tmpdir(), 'sixty-inputs-'));
  try {
    copyWorkspace(workspaceRoot, scratch);
    const edited = sourceToEdit(scratch, own.projectRoot);
    if (edited === undefined) throw new SixtyError('NO_USEFUL_PLAN', `${project} has no .ts or .js source under ${own.projectRoot || 'the workspace root'} to change`, 'the verification edits one of its sources; plan a project with TypeScript sources');
    const projects = [project, ...plan.targets.map((target) => target.task.split(':')[0]!)];
    const originals = new Map(plan.targets.map((target) => [target.configFile, readFileSync(join(scratch, target.configFile), 'utf8')]));
    for (const target of plan.targets) {
      const updated = setTargetInputs(originals.get(target.configFile)!, targetName, target.inputs);
      if ('error' in updated) throw new SixtyError('INVALID_ARGUMENT', `${target.configFile} ${updated.error}`, 'fix the file, then plan again');
      writeFileSync(join(scratch, target.configFile), updated.text);
    }
    const build = (step: string, extra: string[] = []): Map<string, boolean> => runBuilds(scratch, targetName, projects, extra, step);
    build('with the new inputs, before any change');
    writeFileSync(join(scratch, edited), readFileSync(join(scratch, edited), 'utf8') + IMPLEMENTATION_ONLY_EDIT);
    const ran = build('with the new inputs, after the change');
    const outputTasks = [...ran.keys()].filter((task) => facts.has(task.split(':')[0]!));
    const after = hashOutputs(scratch, outputTasks, facts);

    for (const [file, text] of originals) writeFileSync(join(scratch, file), text);
    for (const task of outputTasks) for (const output of outputDirectories(facts.get(task.split(':')[0]!)!)) rmSync(join(scratch, output), { recursive: true, force: true });
    build('with today\'s inputs (full build)', ['--skip-nx-cache']);
    const full = hashOutputs(scratch, outputTasks, facts);

    const differentFiles = [...new Set([...after.keys(), ...full.keys()])].filter((file) => after.get(file) !== full.get(file)).sort();
    return {
      change: `appended "void 0;" to ${edited}`,
      rebuilt: [...ran].filter(([, cached]) => !cached).map(([task]) => task).sort(),
      cached: [...ran].filter(([, cached]) => cached).map(([task]) => task).sort(),
      comparedFiles: new Set([...after.keys(), ...full.keys()]).size,
      differentFiles: differentFiles.slice(0, MAX_DIFFERENT_FILES),
      identical: differentFiles.length === 0 && full.size > 0,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The workspace's files as git lists them (tracked and untracked, ignored ones left out), node_modules linked. */
function copyWorkspace(workspaceRoot: string, scratch: string): void {
  const listed = runGit(workspaceRoot, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (!listed.ok) {
    throw new SixtyError('NOT_A_GIT_REPO', `the inputs plan is verified in a scratch copy of the workspace's files, and git cannot list them here: ${listed.stderr.trim().split('\n')[0] ?? ''}`, 'run sixty plan --kind inputs inside a git repository');
  }
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(workspaceRoot, file);
    const to = join(scratch, file);
    let stat;
    try {
      stat = lstatSync(from);
    } catch {
      continue; // listed by git, deleted in the tree
    }
    mkdirSync(dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (stat.isFile()) copyFileSync(from, to);
  }
  if (existsSync(join(workspaceRoot, 'node_modules'))) symlinkSync(join(workspaceRoot, 'node_modules'), join(scratch, 'node_modules'));
}

/** The project's source the verification edits: src/index.ts when there is one, else its first .ts/.js source. */
function sourceToEdit(scratch: string, projectRoot: string): string | undefined {
  const base = projectRoot === '' ? '' : `${projectRoot}/`;
  for (const candidate of ['src/index.ts', 'index.ts', 'src/index.js', 'index.js']) if (existsSync(join(scratch, base + candidate))) return base + candidate;
  const walk = (dir: string): string | undefined => {
    for (const entry of readdirSync(join(scratch, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory() && !['node_modules', 'dist', 'test', '__tests__'].includes(entry.name)) {
        const found = walk(path);
        if (found) return found;
      } else if (entry.isFile() && /\.(ts|js)$/.test(entry.name) && !/\.d\.ts$|\.(spec|test)\.|config\./.test(entry.name)) return path;
    }
    return undefined;
  };
  return walk(projectRoot);
}

/** Runs the builds in the scratch copy; per task nx ran, whether it came from cache. */
function runBuilds(scratch: string, targetName: string, projects: string[], extra: string[], step: string): Map<string, boolean> {
  // nx's cache and sixty's history of the copy stay in the copy (an absolute historyDir or cache directory would point outside)
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', NX_CACHE_DIRECTORY: join(scratch, '.nx', 'cache'), NX_WORKSPACE_DATA_DIRECTORY: join(scratch, '.nx', 'workspace-data'), SIXTY_HISTORY_DIR: join(scratch, '.sixty') };
  for (const key of Object.keys(env)) if (key.startsWith('NX_TASK_') || key === 'NX_SKIP_NX_CACHE' || key === 'NX_PROFILE' || key === 'NX_BASE' || key === 'NX_HEAD') delete env[key];
  const result = runNxSync(scratch, ['run-many', '-t', targetName, '-p', projects.join(','), '--outputStyle=static', ...extra], env);
  const text = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    const tail = text.trim().split('\n').filter((line) => line.trim() !== '').slice(-6).join('\n  ');
    throw new SixtyError('NX_FAILED', `the builds failed in the scratch copy (${step}):\n  ${tail}`, `make \`nx run-many -t ${targetName}\` pass in the workspace first`);
  }
  // nx prints each task's header: `> nx run p:build  [local cache]` when restored
  const tasks = new Map<string, boolean>();
  for (const match of text.matchAll(/^\s*> nx run ([^\s]+)(.*)$/gm)) tasks.set(match[1]!, /\[(local cache|remote cache|existing outputs match the cache)/.test(match[2]!));
  return tasks;
}

/** The directories (static prefixes of globs) a target declares as outputs. */
function outputDirectories(facts: BuildTargetFacts): string[] {
  return facts.outputs.map((output) => output.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some((part) => /[*?[{!]/.test(part))).join('/')).filter((dir) => dir !== '');
}

/** SHA-256 of every file under the tasks' declared outputs, by workspace-relative path. */
function hashOutputs(scratch: string, tasks: string[], facts: ReadonlyMap<string, BuildTargetFacts>): Map<string, string> {
  const hashes = new Map<string, string>();
  const visit = (path: string): void => {
    let stat;
    try {
      stat = lstatSync(join(scratch, path));
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of readdirSync(join(scratch, path)).sort()) visit(`${path}/${entry}`);
    else if (stat.isFile()) hashes.set(path, createHash('sha256').update(readFileSync(join(scratch, path))).digest('hex'));
  };
  for (const task of tasks) for (const directory of outputDirectories(facts.get(task.split(':')[0]!)!)) visit(directory);
  return hashes;
}
