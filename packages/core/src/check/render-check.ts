import { formatDuration } from '../report/format-duration';
import type { CheckFailure, CheckResult } from './check-result';

/** Output limits for agents: a failing check stays short whatever the change. */
const SHOWN_FAILURES = 3;
const EXCERPT_LINES = 8;
const SHOWN_OVER_BUDGET = 5;

function summary(result: CheckResult): string {
  const cached = result.tasks.filter((t) => t.cache !== 'none').length;
  const failed = result.failures.filter((f) => f.task !== 'nx').length;
  const tasks = `${result.tasks.length} task${result.tasks.length === 1 ? '' : 's'} (${cached} from cache)`;
  const projects = `${result.affectedProjects.length} affected project${result.affectedProjects.length === 1 ? '' : 's'}`;
  const verdict = result.ok ? 'ok' : failed > 0 || result.nxExitCode !== 0 ? 'FAILED' : 'OVER BUDGET';
  const failedPart = failed > 0 ? `${failed} failed of ` : '';
  return `sixty check: ${verdict}  ${failedPart}${tasks} in ${formatDuration(result.wallMs)}, ${projects}`;
}

function slowest(result: CheckResult): string | undefined {
  const executed = result.tasks.filter((t) => t.cache === 'none');
  if (executed.length === 0) return undefined;
  const top = executed.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  return `slowest: ${top.task} ${formatDuration(top.durationMs)}`;
}

function indent(text: string, prefix = '    '): string[] {
  return text.split('\n').slice(0, EXCERPT_LINES).map((line) => (line.trim() === '' ? '' : `${prefix}${line}`));
}

/** One failed task: its name, the excerpt, and where the full output is. Also used by dispatch. */
export function failureLines(failure: CheckFailure): string[] {
  const lines = [`FAILED ${failure.task}`, ...indent(failure.excerpt)];
  if (failure.logFile) {
    const range = failure.logLines ? ` (lines ${failure.logLines[0]}-${failure.logLines[1]})` : '';
    lines.push(`    full log: ${failure.logFile}${range}`);
  }
  return lines;
}

function overBudgetLines(result: CheckResult): string[] {
  const lines = result.overBudget.slice(0, SHOWN_OVER_BUDGET).map((o) => {
    const time = o.source === 'run' ? `took ${formatDuration(o.durationMs)}` : `usually ${formatDuration(o.durationMs)} (from cache now)`;
    return `over budget: ${o.task} ${time} > ${formatDuration(o.budgetMs)}  -> ${o.planCommand}`;
  });
  const more = result.overBudget.length - SHOWN_OVER_BUDGET;
  if (more > 0) lines.push(`over budget: ${more} more (sixty check --json lists them)`);
  return lines;
}

function nextStep(result: CheckResult): string {
  if (result.failures.length > 0) {
    const first = result.failures[0]!;
    return first.task === 'nx'
      ? 'next: fix the nx error above, then run `sixty check` again'
      : `next: fix ${first.task}, then run \`sixty check\` again (or \`nx run ${first.task}\` alone)`;
  }
  if (result.overBudget.length > 0) return `next: ${result.overBudget[0]!.planCommand}   (split the target so it fits its budget)`;
  return result.tasks.length === 0 ? 'nothing affected: no task to run' : 'next: nothing to do';
}

/** Terse text for agents: verdict first, then failures with excerpts, budget breaks, one hint. */
export function renderCheckText(result: CheckResult): string {
  const lines = [summary(result)];
  const slow = slowest(result);
  if (slow && result.failures.length === 0) lines.push(slow);
  for (const failure of result.failures.slice(0, SHOWN_FAILURES)) {
    lines.push(...failureLines(failure));
  }
  if (result.failures.length > SHOWN_FAILURES) {
    lines.push(`also failed: ${result.failures.slice(SHOWN_FAILURES).map((f) => f.task).join(', ')}`);
  }
  lines.push(...overBudgetLines(result));
  if (result.note) lines.push(`note: ${result.note}`);
  lines.push(nextStep(result));
  return lines.join('\n');
}

/** GitHub step summary: the same facts as a short Markdown section. */
export function renderCheckMarkdown(result: CheckResult): string {
  const lines = [`## ${summary(result)}`, ''];
  for (const failure of result.failures.slice(0, SHOWN_FAILURES)) {
    lines.push(`### :x: \`${failure.task}\``, '', '```', ...failure.excerpt.split('\n').slice(0, EXCERPT_LINES), '```', '');
  }
  if (result.failures.length > SHOWN_FAILURES) {
    lines.push(`Also failed: ${result.failures.slice(SHOWN_FAILURES).map((f) => `\`${f.task}\``).join(', ')}`, '');
  }
  if (result.overBudget.length > 0) {
    lines.push('| Over budget | Time | Budget | Plan |', '|---|---:|---:|---|');
    for (const o of result.overBudget) {
      lines.push(`| \`${o.task}\` | ${formatDuration(o.durationMs)}${o.source === 'history' ? ' (usually)' : ''} | ${formatDuration(o.budgetMs)} | \`${o.planCommand}\` |`);
    }
    lines.push('');
  }
  lines.push(nextStep(result));
  return lines.join('\n');
}
