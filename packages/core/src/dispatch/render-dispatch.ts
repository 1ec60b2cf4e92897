import type { CheckResult } from '../check/check-result';
import { failureLines } from '../check/render-check';
import { formatDuration } from '../text/format-duration';
import type { DispatchOutcome, DispatchRecord } from './dispatch-record';
import { plural } from '../text/plural';

/** Output limits for agents: a dispatch summary stays short whatever happened. */
const SHOWN_FAILURES = 2;
const LIST_LIMIT = 5;

const VERDICT: Record<DispatchOutcome, string> = {
  passed: 'passed',
  failed: 'FAILED',
  timeout: 'TIMEOUT',
  stalled: 'STALLED',
  error: 'ERROR',
};

function list(items: readonly string[]): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, LIST_LIMIT).join(', ');
  return items.length > LIST_LIMIT ? `${shown} (+${items.length - LIST_LIMIT} more)` : shown;
}

const maybe = (ms: number | null): string => (ms === null ? '?' : formatDuration(ms));

function headline(record: DispatchRecord): string {
  const verdict = `sixty dispatch: ${VERDICT[record.outcome]}  ${record.task}`;
  if (record.outcome === 'passed') {
    const after =
      record.parts.length > 0
        ? `${record.parts.length} shards of at most ${formatDuration(Math.max(...record.parts.map((p) => p.ms)))}`
        : record.taskMsAfter === null
          ? 'replaced by its parts'
          : formatDuration(record.taskMsAfter);
    return `${verdict} ${maybe(record.taskMsBefore)} -> ${after} (budget ${formatDuration(record.budgetMs)}) in ${formatDuration(record.ms)}`;
  }
  return `${verdict}: ${record.reason}`;
}

function agentLine(record: DispatchRecord): string {
  const { agent } = record;
  const how = agent.timedOut || agent.stalled ? `stopped after ${formatDuration(agent.ms)}` : `exit ${agent.exitCode ?? agent.signal ?? '?'} in ${formatDuration(agent.ms)}`;
  const changed = record.agentFilesChanged ?? record.filesChanged;
  const sandboxed = record.sandbox === 'bwrap' ? ', sandboxed' : '';
  return `agent: ${how}, ${plural(changed.length, 'file')} changed${sandboxed}  (${agent.command})`;
}

function checkLines(check: CheckResult): string[] {
  const cached = check.tasks.filter((t) => t.cache !== 'none').length;
  const failed = check.failures.filter((f) => f.task !== 'nx').length;
  const verdict = failed > 0 || check.nxExitCode !== 0 ? 'FAILED' : check.ok ? 'ok' : 'OVER BUDGET';
  const lines = [
    `check: ${verdict}  ${failed > 0 ? `${failed} failed of ` : ''}${plural(check.tasks.length, 'task')} (${cached} from cache), ${plural(check.affectedProjects.length, 'affected project')} in ${formatDuration(check.wallMs)}`,
  ];
  for (const failure of check.failures.slice(0, SHOWN_FAILURES)) {
    lines.push(...failureLines(failure));
  }
  if (check.failures.length > SHOWN_FAILURES) lines.push(`also failed: ${check.failures.slice(SHOWN_FAILURES).map((f) => f.task).join(', ')}`);
  return lines;
}

function budgetLine(record: DispatchRecord): string {
  const before = new Set(record.overBudgetBefore);
  const pending = record.overBudgetAfter.filter((t) => t !== record.task && before.has(t));
  const tail = pending.length > 0 && record.outcome === 'passed' ? '  (over before too: their own tickets)' : '';
  return `over budget: before ${list(record.overBudgetBefore)}; after ${list(record.overBudgetAfter)}${tail}`;
}

/** Changes to the user's checkout: shown in full (up to the list limit), nothing restored. */
function checkoutLines(record: DispatchRecord): string[] {
  const changes = record.checkoutChanges ?? [];
  if (changes.length === 0) return [];
  const lines = [`checkout: CHANGED while the agent ran (sixty restored nothing):`];
  for (const change of changes.slice(0, LIST_LIMIT)) lines.push(`    ${change}`);
  if (changes.length > LIST_LIMIT) lines.push(`    (+${changes.length - LIST_LIMIT} more in the run log)`);
  return lines;
}

function nextLine(record: DispatchRecord): string {
  if ((record.checkoutChanges ?? []).length > 0) {
    return 'next: check your checkout (`git status`, `git reflog`) and undo what the agent did there; dispatch again with --sandbox bwrap to make it read-only to the agent';
  }
  if (record.worktreeKept && record.outcome !== 'passed') {
    return `next: look in ${record.worktree} (agent log: ${record.agent.logFile}); then \`git worktree remove --force ${record.worktree} && git branch -D ${record.branch}\``;
  }
  if (record.outcome === 'error') return `next: fix the agent command (--agent-cmd or dispatch.agentCmd in nx.json), then dispatch again`;
  if (record.outcome !== 'passed') return `next: read the agent log ${record.agent.logFile}, then dispatch again`;
  if (record.commit) return `next: review \`git diff ${record.base.slice(0, 12)}..${record.branch}\`, then merge ${record.branch}`;
  if (record.worktreeKept) return `next: review the changes in ${record.worktree}, then commit them on ${record.branch}`;
  if (record.patchFile) return `next: git apply ${record.patchFile}   (not committed: set "commit": true in the dispatch policy to keep a branch)`;
  return 'next: nothing to do';
}

/** Terse text for agents and people: verdict first, then agent, check, budgets, where the work is, one hint. */
export function renderDispatchText(record: DispatchRecord): string {
  const lines = [headline(record)];
  for (const note of record.notes) lines.push(`note: ${note}`);
  lines.push(agentLine(record));
  lines.push(...checkoutLines(record));
  if ((record.agent.timedOut || record.agent.stalled || (record.agent.exitCode ?? 1) !== 0) && record.agent.lastOutput) {
    lines.push(...record.agent.lastOutput.split('\n').slice(-4).map((line) => `    ${line}`));
  }
  if (record.check) lines.push(...checkLines(record.check));
  if (record.outcome !== 'error') {
    lines.push(budgetLine(record));
    const project = record.task.split(':')[0];
    if (record.loopTimeBefore !== null || record.loopTimeAfter !== null) {
      lines.push(`loop time of a change in ${project}: ${maybe(record.loopTimeBefore)} -> ${maybe(record.loopTimeAfter)}`);
    }
  }
  if (record.trackerUpdated) lines.push(`tracker: ${record.task} -> done`);
  if (record.commit) lines.push(`branch: ${record.branch} at ${record.commit.slice(0, 12)}`);
  else if (record.worktreeKept) lines.push(`worktree kept: ${record.worktree} (branch ${record.branch})`);
  if (record.patchFile && !record.commit) lines.push(`changes: ${record.patchFile}`);
  lines.push(nextLine(record));
  return lines.join('\n');
}

/** `--all-over-budget`: one line per dispatch, then one hint. */
export function renderDispatchBatchText(records: readonly DispatchRecord[]): string {
  if (records.length === 0) return 'sixty dispatch: no target is over budget; nothing to dispatch\nnext: nothing to do';
  const passed = records.filter((r) => r.outcome === 'passed').length;
  const lines = [`sixty dispatch: ${passed} of ${records.length} dispatch${records.length === 1 ? '' : 'es'} passed`];
  const width = Math.max(...records.map((r) => r.task.length));
  for (const record of records) {
    const where = record.commit ? record.branch : record.worktreeKept ? `worktree ${record.worktree}` : (record.patchFile ?? '');
    const what =
      record.outcome === 'passed'
        ? `${maybe(record.taskMsBefore)} -> ${record.taskMsAfter === null ? 'parts' : formatDuration(record.taskMsAfter)}`
        : record.reason;
    lines.push(`  ${VERDICT[record.outcome].padEnd(7)} ${record.task.padEnd(width)}  ${what}${where ? `  ${where}` : ''}`);
  }
  const failed = records.find((r) => r.outcome !== 'passed');
  lines.push(failed ? `next: read ${failed.agent.logFile} (and the run log beside it) for ${failed.task}` : 'next: review and merge the branches (or apply the patches) above');
  return lines.join('\n');
}
