import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isSixtyError } from '@sixty/core';
import { runInit } from './commands/init';
import { runReport } from './commands/report';
import { EXIT, processOutput, type Output } from './output';

declare const SIXTY_VERSION: string | undefined;

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('expected a positive number of seconds, e.g. --budget 60');
  }
  return seconds;
}

/** Builds the command tree. Each action stores its exit code; errors propagate to main(). */
function buildProgram(output: Output, setExit: (code: number) => void): Command {
  const program = new Command('sixty')
    .description('Keep every Nx build step under a one-minute budget: record, report, plan, apply, check.')
    .version(typeof SIXTY_VERSION === 'string' ? SIXTY_VERSION : '0.1.0')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the checked thing failed, 2 usage or configuration error.\nStart with `sixty init`, run nx as usual, then `sixty report`.',
    );

  program
    .command('init')
    .description('Register the @sixty/nx plugin in nx.json and keep its history out of git')
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .option('--budget <seconds>', 'default time budget per target', positiveSeconds, 60)
    .option('--history-dir <dir>', 'where run history is kept', '.sixty')
    .option('--dry-run', 'print what would change without writing', false)
    .action((opts: { cwd: string; budget: number; historyDir: string; dryRun: boolean }) => {
      setExit(runInit(opts, output));
    });

  program
    .command('report')
    .description('Per-target timings from recorded runs: executions, cache hits, p50/p90/max, over budget')
    .option('--format <format>', 'text | markdown | json', 'text')
    .option('--json', 'same as --format json')
    .option('--budget <seconds>', 'override every configured budget', positiveSeconds)
    .option('--since <when>', 'only runs since a duration ago (12h, 7d) or a date (2026-11-01)')
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText('after', '\nExample: sixty report --since 7d --format markdown >> "$GITHUB_STEP_SUMMARY"')
    .action((opts: { format: string; json?: boolean; budget?: number; since?: string; cwd: string }) => {
      setExit(
        runReport(
          {
            cwd: opts.cwd,
            format: opts.json ? 'json' : opts.format,
            ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
            ...(opts.since !== undefined ? { since: opts.since } : {}),
          },
          output,
        ),
      );
    });

  return program;
}

/** Runs the CLI and returns its exit code. Never prints a stack trace for a known error. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage; // commander already printed the message
    }
    if (isSixtyError(error)) {
      output.err(`sixty: ${error.message}\n  fix: ${error.fix}`);
      return EXIT.usage;
    }
    const reason = error instanceof Error ? error.message : String(error);
    output.err(`sixty: unexpected error: ${reason}\n  please report it with the command you ran`);
    return EXIT.usage;
  }
}
