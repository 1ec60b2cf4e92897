import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess, type ProcessResult } from '../process/run-process';

/** This CLI's own launcher: `sixty check`, `sixty report` and `sixty plan` run as child processes of a dispatch. */
export function sixtyBin(): string {
  for (const candidate of [join(__dirname, '..', 'bin', 'sixty.js'), join(__dirname, '..', '..', 'bin', 'sixty.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('cannot find bin/sixty.js beside the sixty CLI');
}

/** Runs `sixty <args>` with the same Node. */
export function runSixty(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ProcessResult> {
  return runProcess(process.execPath, [sixtyBin(), ...args], options);
}
