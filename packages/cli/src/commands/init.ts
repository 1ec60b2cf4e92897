import type { Command } from 'commander';
import { positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planInit } from '@sixty/core';
import { findWorkspaceRoot } from '../workspace';
import { EXIT, type Output } from '../output';
import { SixtyError } from '@sixty/core';

export interface InitOptions {
  cwd: string;
  budget: number;
  historyDir: string;
  dryRun: boolean;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function runInit(options: InitOptions, output: Output): number {
  const root = findWorkspaceRoot(options.cwd);
  if (!root) {
    throw new SixtyError('NOT_A_WORKSPACE', `no nx.json in ${options.cwd} or above: not an Nx workspace`, 'run `sixty init` at the root of an Nx workspace (create one with `npx create-nx-workspace`)');
  }
  const changes = planInit(
    { nxJson: readOrNull(join(root, 'nx.json')), gitignore: readOrNull(join(root, '.gitignore')) },
    { budgetSeconds: options.budget, historyDir: options.historyDir },
  );
  for (const write of changes.writes) {
    if (!options.dryRun) writeFileSync(join(root, write.path), write.content);
    output.out(`${options.dryRun ? 'would update' : 'updated'} ${write.path}`);
  }
  if (changes.alreadyRegistered) output.out('@sixty/nx is already registered in nx.json');
  if (!options.dryRun && !changes.alreadyRegistered) {
    output.out('next: run any target (e.g. `nx run-many -t build test`), then `sixty report`');
  }
  return EXIT.ok;
}

export function registerInitCommand(program: Command, context: CommandContext): void {
  program
    .command('init')
    .description('Register the @sixty/nx plugin in nx.json and keep its history out of git')
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .option('--budget <seconds>', 'default time budget per target', positiveSeconds, 60)
    .option('--history-dir <dir>', 'where run history is kept', '.sixty')
    .option('--dry-run', 'print what would change without writing', false)
    .action((opts: { cwd: string; budget: number; historyDir: string; dryRun: boolean }) => {
      context.setExit(runInit(opts, context.output));
    });
}
