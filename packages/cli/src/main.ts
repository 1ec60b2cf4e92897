import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isSixtyError, SixtyError } from '@sixty/core';
import { runInit } from './commands/init';
import { runReport } from './commands/report';
import { assertTargets, DEFAULT_CHECK_TARGETS, runCheck } from './commands/check';
import { EXIT, processOutput, type Output } from './output';

declare const SIXTY_VERSION: string | undefined;

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return number;
}

function commaList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list, e.g. build,test');
  return items;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

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
    .option('--format <format>', 'text | markdown | json | html | trace', 'text')
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to a file (html and trace are meant for files)')
    .option('--budget <seconds>', 'override every configured budget', positiveSeconds)
    .option('--since <when>', 'only runs since a duration ago (12h, 7d) or a date (2026-11-01)')
    .option('--targets <list>', 'targets to analyse, e.g. build,test (default: every target recorded)', commaList)
    .option('--parallel <n>', "workers of the schedule prediction (default: nx.json's parallel, else 3)", positiveInteger)
    .option('--what-if <task=parts>', 'predict loop times if a target were split, e.g. lib-c:test=4 (repeatable)', collect)
    .option('--no-graph', 'skip reading the task graph from nx (history statistics only)')
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  sixty report --since 7d --format markdown >> "$GITHUB_STEP_SUMMARY"',
        '  sixty report --targets build,test --parallel 4 --what-if lib-c:test=4',
        '  sixty report --format html --out report.html',
      ].join('\n'),
    )
    .action(
      (opts: {
        format: string;
        json?: boolean;
        out?: string;
        budget?: number;
        since?: string;
        targets?: string[];
        parallel?: number;
        whatIf?: string[];
        graph: boolean;
        cwd: string;
      }) => {
        setExit(
          runReport(
            {
              cwd: opts.cwd,
              format: opts.json ? 'json' : opts.format,
              graph: opts.graph,
              ...(opts.out !== undefined ? { out: opts.out } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
              ...(opts.since !== undefined ? { since: opts.since } : {}),
              ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
              ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
              ...(opts.whatIf !== undefined ? { whatIf: opts.whatIf } : {}),
            },
            output,
          ),
        );
      },
    );

  program
    .command('check')
    .description('Run only what a change affects (cached), and say in a few lines what failed and what is over budget')
    .option('--base <ref>', 'compare against this ref (default: merge-base with the default branch)')
    .option('--head <ref>', 'compare up to this ref (default: the work tree, uncommitted and untracked files included)')
    .option('--targets <list>', 'targets to run', commaList, DEFAULT_CHECK_TARGETS)
    .option('--parallel <n>', 'nx workers', positiveInteger)
    .option('--budget <seconds>', 'override every configured budget', positiveSeconds)
    .option('--strict', 'exit 1 when a task is over its budget', false)
    .option('--format <format>', 'text | markdown | json', 'text')
    .option('--json', 'same as --format json')
    .option('--verbose', "stream nx's own output to stderr", false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'For agents: run `sixty check` after each change.',
        '  exit 0  the affected tasks passed (from cache where inputs are unchanged)',
        '  exit 1  a task failed (its error lines are shown, with the full log path),',
        '          or with --strict a task is over its budget (named, with the plan command)',
        '  exit 2  usage or setup problem (not a git repo, unknown --base, no nx.json)',
        'The last line is always the next command to run. JSON: sixty check --json',
      ].join('\n'),
    )
    .action(
      async (opts: {
        base?: string;
        head?: string;
        targets: string[];
        parallel?: number;
        budget?: number;
        strict: boolean;
        format: string;
        json?: boolean;
        verbose: boolean;
        cwd: string;
      }) => {
        const format = opts.json ? 'json' : opts.format;
        if (format !== 'text' && format !== 'markdown' && format !== 'json') {
          throw new SixtyError('INVALID_ARGUMENT', `unknown --format "${format}"`, 'use one of: text, markdown, json');
        }
        setExit(
          await runCheck(
            {
              cwd: opts.cwd,
              targets: assertTargets(opts.targets),
              strict: opts.strict,
              format,
              verbose: opts.verbose,
              ...(opts.base !== undefined ? { base: opts.base } : {}),
              ...(opts.head !== undefined ? { head: opts.head } : {}),
              ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
            },
            output,
          ),
        );
      },
    );

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
