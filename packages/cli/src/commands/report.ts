import type { Command } from 'commander';
import { collect, commaList, positiveInteger, positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  parseBaseline,
  rendererFor,
  REPORT_RENDERERS,
  SixtyError,
  unshardableAppliedTargets,
} from '@sixty/core';
import { buildReportModel, parseWhatIf, type ReportModelOptions } from '../report/build-report-model';
import { openWorkspace, type Workspace } from '../workspace';
import { EXIT, type Output } from '../output';

export interface ReportOptions extends ReportModelOptions {
  cwd: string;
  format: string;
  out?: string;
}

/** --out must name a file in an existing directory: said before any work, not as a crash after it. */
function checkOutDirectory(path: string): void {
  const directory = dirname(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    // missing: said below
  }
  if (!isDirectory) {
    throw new SixtyError('INVALID_ARGUMENT', `--out ${path}: the directory ${directory} does not exist`, `create it first (mkdir -p ${directory}), or write the report elsewhere`);
  }
}

/** --json is --format json: with another --format the two disagree, which is a usage error, not a silent choice. */
export function reportFormat(format: string | undefined, json: boolean | undefined): string {
  if (json && format !== undefined && format !== 'json') {
    throw new SixtyError('INVALID_ARGUMENT', `--json and --format ${format} ask for two formats`, `use one: --json (same as --format json) or --format ${format}`);
  }
  return json ? 'json' : (format ?? 'text');
}

/** The baseline's applied shards with no shard targets, and why; none without a readable baseline. */
function baselineShardProblems(workspace: Workspace): Array<{ task: string; reason: string }> {
  const path = resolve(workspace.root, workspace.options.baselineFile);
  if (!existsSync(path)) return [];
  try {
    return unshardableAppliedTargets(parseBaseline(readFileSync(path, 'utf8'), workspace.options.baselineFile));
  } catch {
    return []; // `sixty baseline --check` reports an unreadable baseline
  }
}

export function runReport(options: ReportOptions, output: Output): number {
  const renderer = rendererFor(options.format);
  if (!renderer) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `unknown --format "${options.format}"`,
      `use one of: ${REPORT_RENDERERS.map((r) => r.format).join(', ')}`,
    );
  }
  for (const value of options.whatIf ?? []) parseWhatIf(value); // bad input fails before any work
  if (options.out) checkOutDirectory(resolve(options.cwd, options.out));
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const report = buildReportModel(workspace, options, {
    warn: (line) => output.err(line),
    // the text renderers print skipped lines themselves; data formats keep stdout pure
    warnSkippedRecords: renderer.format !== 'text' && renderer.format !== 'markdown',
    progress: process.stderr.isTTY ? (line) => output.err(line) : undefined,
  });
  const rendered = renderer.render(report);
  if (options.out) {
    const path = resolve(options.cwd, options.out);
    try {
      writeFileSync(path, rendered.endsWith('\n') ? rendered : `${rendered}\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SixtyError('INVALID_ARGUMENT', `--out ${options.out}: cannot write the report (${reason})`, 'give --out a file in a directory that exists and that you can write');
    }
    output.out(`wrote ${renderer.format} report to ${path}`);
  } else {
    output.out(rendered);
  }
  // applied shards that nx cannot run: the plugin warns in every nx command, the report says it too
  for (const problem of baselineShardProblems(workspace)) output.err(`warning: ${problem.reason}`);
  if (!workspace.pluginRegistered && report.targets.length === 0 && renderer.format === 'text') {
    output.err('hint: @sixty/nx is not registered in nx.json; run `sixty init` so nx records its runs');
  }
  return EXIT.ok;
}

export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('Per-target timings from recorded runs: executions, cache hits, p50/p90/max, over budget')
    .option('--format <format>', 'text | markdown | json | html | trace (default: text)')
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to a file (html and trace are meant for files)')
    .option('--budget <seconds>', 'override every configured budget', positiveSeconds)
    .option('--since <when>', 'only runs since a duration ago (12h, 7d) or a date (2026-11-01)')
    .option('--targets <list>', 'targets to analyse, e.g. build,test (default: every target recorded)', commaList)
    .option('--parallel <n>', "workers of the schedule prediction (default: nx.json's parallel, else 3)", positiveInteger)
    .option('--what-if <task=parts>', 'predict loop times if a target were split, e.g. lib-c:test=4 (repeatable)', collect)
    .option('--no-graph', 'skip reading the task graph from nx (history statistics only)')
    .option('--whole-graph', 'analyse every task of the targets; a task that never ran gets an estimate, marked est. (default: tasks with executed runs only)')
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
        format?: string;
        json?: boolean;
        out?: string;
        budget?: number;
        since?: string;
        targets?: string[];
        parallel?: number;
        whatIf?: string[];
        graph: boolean;
        wholeGraph?: boolean;
        cwd: string;
      }) => {
        context.setExit(
          runReport(
            {
              cwd: opts.cwd,
              format: reportFormat(opts.format, opts.json),
              graph: opts.graph,
              ...(opts.wholeGraph ? { wholeGraph: true } : {}),
              ...(opts.out !== undefined ? { out: opts.out } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
              ...(opts.since !== undefined ? { since: opts.since } : {}),
              ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
              ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
              ...(opts.whatIf !== undefined ? { whatIf: opts.whatIf } : {}),
            },
            context.output,
          ),
        );
      },
    );
}
