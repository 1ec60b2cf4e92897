import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { listGlobTestFiles, parseRunnerList, type ShardableTarget } from '@sixty/core';

export type RunnerTestFiles = { ok: true; files: string[]; outsideProject: string[] } | { ok: false; reason: string };

/** A runner asked for its files may take a while to load its config; it never runs a test. */
const LIST_TIMEOUT_MS = 120_000;

/**
 * The test files a target runs, resolved as its runner resolves them: vitest and jest are
 * asked (`vitest list --filesOnly`, `jest --listTests`, with the target's config, cwd and
 * environment), node --test, mocha and Angular's builder by their globs. Files outside the
 * project root are returned apart: a shard plan never takes them.
 */
export function listRunnerTestFiles(workspaceRoot: string, projectRoot: string, target: ShardableTarget): RunnerTestFiles {
  const root = projectRoot === '.' ? '' : projectRoot;
  let files: string[];
  if (target.files.kind === 'globs') {
    files = listGlobTestFiles(workspaceRoot, target.files);
  } else {
    const listed = askRunner(workspaceRoot, target.files, target.command?.otherOptions.env);
    if (!listed.ok) return listed;
    files = listed.files;
  }
  const inside = (file: string) => root === '' || file.startsWith(`${root}/`);
  return { ok: true, files: files.filter(inside), outsideProject: files.filter((file) => !inside(file)) };
}

function askRunner(
  workspaceRoot: string,
  source: Extract<ShardableTarget['files'], { kind: 'runner-list' }>,
  env: unknown,
): { ok: true; files: string[] } | { ok: false; reason: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'sixty-list-'));
  const jsonFile = join(scratch, 'files.json');
  const command = source.command.replace('{jsonFile}', jsonFile);
  try {
    const extraEnv = typeof env === 'object' && env !== null ? Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)])) : {};
    const result = spawnSync(command, {
      shell: true,
      cwd: join(workspaceRoot, source.cwd),
      // as nx:run-commands does: the workspace's binaries first
      env: { ...process.env, ...extraEnv, PATH: `${join(workspaceRoot, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`, CI: 'true' },
      encoding: 'utf8',
      timeout: LIST_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      const tail = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.trim().split('\n').filter(Boolean).slice(-3).join(' ');
      return { ok: false, reason: `\`${command}\` (in ${source.cwd || 'the workspace root'}) exited ${result.status ?? result.signal}: ${tail}` };
    }
    const text = source.output === 'json-file' ? readFileSync(jsonFile, 'utf8') : result.stdout.slice(result.stdout.indexOf('['));
    return { ok: true, files: parseRunnerList(source.runner, text, realpathSync(workspaceRoot)) };
  } catch (error) {
    return { ok: false, reason: `could not read the test files ${source.runner} lists (\`${command}\`): ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
