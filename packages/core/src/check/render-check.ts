import { formatDuration } from '../text/format-duration';
import type { UncoveredFile } from './change-coverage';
import type { CheckFailure, CheckResult } from './check-result';
import type { TestSelection } from './test-selection';

/** Output limits for agents: a failing check stays short whatever the change. */
const SHOWN_FAILURES = 3;
const EXCERPT_LINES = 12;
const SHOWN_OVER_BUDGET = 5;

function summary(result: CheckResult): string {
  const cached = result.tasks.filter((t) => t.cache !== 'none').length;
  const failed = result.failures.filter((f) => f.task !== 'nx').length;
  const tasks = `${result.tasks.length} task${result.tasks.length === 1 ? '' : 's'} (${cached} from cache)`;
  const projects = `${result.affectedProjects.length} affected project${result.affectedProjects.length === 1 ? '' : 's'}`;
  const unchecked = result.uncoveredFiles.length;
  // "ok" alone means every changed file was looked at by a task that passed
  const okText = unchecked > 0 ? `ok, but ${unchecked} changed file${unchecked === 1 ? '' : 's'} NOT CHECKED` : 'ok';
  const overBudget = result.overBudget.length > 0 || result.loop?.overBudget === true;
  const verdict = result.ok ? okText : failed > 0 || result.nxExitCode !== 0 ? 'FAILED' : overBudget ? 'OVER BUDGET' : 'NOT CHECKED';
  const failedPart = failed > 0 ? `${failed} failed of ` : '';
  return `sixty check: ${verdict}  ${failedPart}${tasks} in ${formatDuration(result.wallMs)}, ${projects}${baseText(result)}`;
}

function baseText(result: CheckResult): string {
  if (!result.base) return '';
  const commit = result.base.slice(0, 7);
  return result.baseRef && result.baseRef !== 'HEAD' ? `, base ${result.baseRef} (${commit})` : `, base HEAD (${commit})`;
}

const REASON_TEXT: Record<UncoveredFile['reason'], string> = {
  'nx-ignored': 'ignored by nx',
  'no-project': 'in no project',
  'no-task': 'its project has none of the targets',
};
const SHOWN_UNCOVERED = 4;

/** One line naming the changed files no task looked at: never a silent pass over them. */
function uncoveredLine(result: CheckResult): string | null {
  const files = result.uncoveredFiles;
  if (files.length === 0) return null;
  const shown = files.slice(0, SHOWN_UNCOVERED).map((f) => `${f.file} (${REASON_TEXT[f.reason]})`);
  const more = files.length > SHOWN_UNCOVERED ? `, ${files.length - SHOWN_UNCOVERED} more` : '';
  return `not checked: ${files.length === 1 ? '1 changed file' : `${files.length} changed files`}: ${shown.join(', ')}${more}`;
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
  const lines = [`FAILED ${failure.task}${failure.location ? `  at ${failure.location}` : ''}`, ...indent(failure.excerpt)];
  if (failure.logFile) {
    const range = failure.logLines ? ` (lines ${failure.logLines[0]}-${failure.logLines[1]})` : '';
    lines.push(`    full log: ${failure.logFile}${range}`);
  }
  return lines;
}

function overBudgetLines(result: CheckResult): string[] {
  const lines = result.overBudget.slice(0, SHOWN_OVER_BUDGET).map((o) => {
    const time = o.source === 'run' ? `took ${formatDuration(o.durationMs)}` : `usually ${formatDuration(o.durationMs)} (${o.selected ? 'ran a selection of its tests now' : 'from cache now'})`;
    return `over budget: ${o.task} ${time} > ${formatDuration(o.budgetMs)}  -> ${o.planCommand}`;
  });
  const more = result.overBudget.length - SHOWN_OVER_BUDGET;
  if (more > 0) lines.push(`over budget: ${more} more (sixty check --json lists them)`);
  return lines;
}

/** The loop this change measured, when over the loop budget: its largest contributor and the command that plans its remedies. */
function loopLine(result: CheckResult): string | null {
  const loop = result.loop;
  if (!loop?.overBudget) return null;
  const largest = loop.largestTask
    ? `; largest contributor ${loop.largestTask.task} ${formatDuration(loop.largestTask.durationMs)}${loop.largestTask.cache !== 'none' ? ' (from cache)' : ''}`
    : '';
  return `loop over budget: this check took ${formatDuration(loop.wallMs)} > loop budget ${formatDuration(loop.loopBudgetMs)}${largest}${loop.planCommand ? `  -> ${loop.planCommand}` : ''}`;
}

function nextStep(result: CheckResult): string {
  if (result.failures.length > 0) {
    const first = result.failures[0]!;
    return first.task === 'nx'
      ? 'next: fix the nx error above, then run `sixty check` again'
      : `next: fix ${first.task}, then run \`sixty check\` again (or \`nx run ${first.task}\` alone)`;
  }
  if (result.overBudget.length > 0) return `next: ${result.overBudget[0]!.planCommand}   (split the target so it fits its budget)`;
  if (result.strict && result.loop?.overBudget && result.loop.planCommand) return `next: ${result.loop.planCommand}   (plan the cheapest remedies that bring this loop under its budget)`;
  if (!result.ok && result.uncoveredFiles.length > 0) {
    return 'next: put the files in a project with these targets (or out of .nxignore), or drop --strict to accept them unchecked';
  }
  return result.tasks.length === 0 ? 'next: nothing to run' : 'next: nothing to do';
}

const SHOWN_WHOLE_REASONS = 2;

/**
 * One line on what the test selection ran: how many test files of how many, what was skipped,
 * and why any test target ran whole. Null when whole targets ran by choice (--all-tests, CI).
 */
export function testSelectionLine(result: CheckResult): string | null {
  const selections = result.testSelection;
  if (!selections || selections.length === 0) return null;
  const narrowed = selections.filter((s) => s.mode === 'files') as Array<Extract<TestSelection, { mode: 'files' }>>;
  const skipped = selections.filter((s) => s.mode === 'skip');
  const whole = selections.filter((s) => s.mode === 'whole') as Array<Extract<TestSelection, { mode: 'whole' }>>;
  const parts: string[] = [];
  if (narrowed.length > 0) {
    const run = narrowed.reduce((sum, s) => sum + s.files.length, 0);
    const of = narrowed.reduce((sum, s) => sum + s.of, 0);
    parts.push(`${run} of ${of} test files in ${narrowed.map((s) => s.task).join(', ')} (those whose imports reach the change)`);
  }
  if (skipped.length > 0) parts.push(`${skipped.length} test task${skipped.length === 1 ? '' : 's'} skipped (no test file imports a changed file)`);
  if (whole.length > 0) {
    const reasons = whole.slice(0, SHOWN_WHOLE_REASONS).map((s) => `${s.task}: ${s.reason}`);
    parts.push(`whole: ${reasons.join('; ')}${whole.length > SHOWN_WHOLE_REASONS ? `; ${whole.length - SHOWN_WHOLE_REASONS} more` : ''}`);
  }
  return `tests: ${parts.join('; ')}. --all-tests runs every test file`;
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
  const loop = loopLine(result);
  if (loop) lines.push(loop);
  const uncovered = uncoveredLine(result);
  if (uncovered) lines.push(uncovered);
  const tests = testSelectionLine(result);
  if (tests) lines.push(tests);
  if (result.note) lines.push(`note: ${result.note}`);
  lines.push(nextStep(result));
  return lines.join('\n');
}

/** GitHub step summary: the same facts as a short Markdown section. */
export function renderCheckMarkdown(result: CheckResult): string {
  const lines = [`## ${summary(result)}`, ''];
  for (const failure of result.failures.slice(0, SHOWN_FAILURES)) {
    const at = failure.location ? ` at \`${failure.location}\`` : '';
    lines.push(`### :x: \`${failure.task}\`${at}`, '', '```', ...failure.excerpt.split('\n').slice(0, EXCERPT_LINES), '```', '');
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
  const loop = loopLine(result);
  if (loop) lines.push(loop, '');
  const uncovered = uncoveredLine(result);
  if (uncovered) lines.push(uncovered, '');
  const tests = testSelectionLine(result);
  if (tests) lines.push(tests, '');
  if (result.note) lines.push(`Note: ${result.note}`, '');
  lines.push(nextStep(result));
  return lines.join('\n');
}
