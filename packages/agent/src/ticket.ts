import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatDuration, type Plan, type PlanningInput, type PlanValidation, plural } from '@sixty/core';
import type { PlanWinner } from './choose-plan';
import type { AgentRound } from './agent-round';
import type { PlanFigures } from './plan-figures';
import type { TrackerRow } from './tracker';

/** Where tickets go, relative to the workspace root. */
export const TICKET_DIRECTORY = 'docs/exec-plans';

/** Who planned, and at what cost: what the ticket says about the planner. */
export interface TicketPlanner {
  winner: PlanWinner;
  reason: string;
  /** Set when the agent was asked. */
  agent?: { model: string; rounds: AgentRound[]; cached: boolean };
}

export interface TicketFacts {
  input: PlanningInput;
  plan: Plan;
  validation: PlanValidation;
  figures: PlanFigures;
  /** The plan file, workspace-relative. */
  planFile: string;
  /** YYYY-MM-DD. */
  date: string;
  planner: TicketPlanner;
}

export type TicketStatus = 'planned' | 'needs work' | 'within budget';

export function ticketStatus(facts: Pick<TicketFacts, 'input' | 'validation'>): TicketStatus {
  if (facts.input.p90Ms <= facts.input.budgetMs) return 'within budget';
  return facts.validation.valid ? 'planned' : 'needs work';
}

/** `docs/exec-plans/<project>-<target>-<date>.md`, workspace-relative. */
export function ticketPath(task: string, date: string): string {
  return `${TICKET_DIRECTORY}/${`${task.replace(':', '-')}-${date}`.replace(/[^A-Za-z0-9._-]/g, '_')}.md`;
}

const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

/** What the plan does, in a few words: "shard into 3", "split into 2 projects". */
export function planHeadline(plan: Plan): string {
  return plan.kind === 'shard' ? `shard into ${plan.shards.length}` : `split into ${plural(plan.projects.length, 'project')}`;
}

/** Model text for Markdown: one paragraph, no control characters or HTML, bounded. */
function quotedText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return flat.length > 1000 ? `${flat.slice(0, 1000)}…` : flat;
}

/** A code fence longer than any run of backticks in the text, so the text cannot close it. */
function fenced(language: string, text: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, text, fence];
}

function agentCost(rounds: readonly AgentRound[]): string {
  const requests = rounds.reduce((total, round) => total + round.requests, 0);
  const tokensIn = rounds.reduce((total, round) => total + round.tokensIn, 0);
  const tokensOut = rounds.reduce((total, round) => total + round.tokensOut, 0);
  return `${plural(rounds.length, 'round')}, ${plural(requests, 'request')}, ${thousands(tokensIn)} tokens in, ${thousands(tokensOut)} out`;
}

function planTable(plan: Plan, input: PlanningInput): string[] {
  if (plan.kind === 'shard') {
    return ['| shard | files | estimated |', '|---|---|---|', ...plan.shards.map((shard) => `| ${shard.name} | ${shard.files.length} | ${formatDuration(shard.estimatedMs)} |`)];
  }
  const rows = plan.projects.map(
    (part) => `| ${part.name} | ${part.root} | ${part.files.length} | ${part.dependsOn.length > 0 ? part.dependsOn.join(', ') : '-'} | ${formatDuration(part.estimatedMs)} |`,
  );
  if (plan.keptFiles) {
    rows.push(`| ${input.project} (kept: entry and facade) | ${input.projectRoot} | ${plan.keptFiles.length} | ${plan.facade?.length ? [...new Set(plan.facade.map((entry) => entry.project))].join(', ') : '-'} | ${plan.keptEstimatedMs !== undefined ? formatDuration(plan.keptEstimatedMs) : '-'} |`);
  }
  return ['| project | root | files | depends on | estimated |', '|---|---|---|---|---|', ...rows];
}

function verifyCommands(facts: TicketFacts): string[] {
  const { input, plan, planFile } = facts;
  const commands = [`sixty plan --validate ${planFile}`, `sixty apply ${planFile} --dry-run`, `sixty apply ${planFile}`];
  if (plan.kind === 'shard') {
    commands.push('sixty baseline', `nx run ${input.task} --skip-nx-cache`);
  } else {
    commands.push(`nx run-many -t ${input.target} -p ${[input.project, ...plan.projects.map((part) => part.name)].join(',')} --skip-nx-cache`);
  }
  commands.push(`sixty report --targets ${input.target}`, 'sixty check');
  return commands;
}

function acceptance(facts: TicketFacts): string[] {
  const { input, plan, planFile } = facts;
  const budget = formatDuration(input.budgetMs);
  const items = [`\`sixty plan --validate ${planFile}\` exits 0.`];
  if (plan.kind === 'shard') {
    items.push(`Each of the ${plan.shards.length} shards of ${input.task} runs within ${budget}: \`sixty report\` lists none over budget.`);
  } else {
    items.push(`\`${input.target}\` of each new project, and of ${input.project}, runs within ${budget}: \`sixty report\` lists none over budget.`);
    items.push(`${input.project} keeps its public API: projects that import it build and test unchanged.`);
    items.push('No cycle between the new projects and the old one (`nx graph`).');
  }
  items.push('`sixty check` passes.');
  return items.map((item) => `- [ ] ${item}`);
}

/**
 * The ticket for a target over budget: context with figures, the plan (summary table and the
 * whole JSON), acceptance criteria, and the commands to apply and verify. Deterministic for
 * the same facts (no clock inside: the date is given).
 */
export function renderTicket(facts: TicketFacts): string {
  const { input, plan, validation, figures, planner } = facts;
  const status = ticketStatus(facts);
  const over = input.p90Ms - input.budgetMs;
  const files = input.validation.projectFiles.length;
  const what =
    plan.kind === 'shard'
      ? `Its ${plural(files, 'test file')} are sharded so each shard fits the budget.`
      : `The project ${input.project} (${input.projectRoot || '.'}, ${plural(files, 'file')}) is split into new projects so each fits the budget.`;
  const source = planner.winner === 'agent' && planner.agent ? `agent (${planner.agent.model})` : 'local planner';
  const lines = [
    `# ${input.task}: ${planHeadline(plan)}`,
    '',
    `- Status: ${status}`,
    `- Date: ${facts.date}`,
    `- Plan: \`${facts.planFile}\` (${plan.source} plan, ${validation.valid ? 'valid' : 'not valid'})`,
    '',
    '## Context',
    '',
    `${input.task} takes ${formatDuration(input.p90Ms)} at p90 over ${plural(input.executions, 'executed run')}, against a ${formatDuration(input.budgetMs)} budget${over > 0 ? ` (${formatDuration(over)} over)` : ''}. ${what}`,
    '',
    '| figure | value |',
    '|---|---|',
    `| p90 now | ${formatDuration(input.p90Ms)} |`,
    `| budget | ${formatDuration(input.budgetMs)} |`,
    `| parts | ${figures.parts} |`,
    `| slowest part after the plan | ${formatDuration(figures.longestMs)} |`,
    `| all parts done in${figures.parallel !== null ? ` (--parallel ${figures.parallel})` : ''} | ${formatDuration(figures.wallMs)} |`,
    `| parts over budget | ${figures.overBudget} |`,
    `| estimated loop-time gain | ${formatDuration(figures.gainMs)} |`,
    ...(figures.cutEdges !== null ? [`| cut edges | ${figures.cutEdges} |`] : []),
    `| planner | ${source}: ${quotedText(planner.reason).replace(/\|/g, '\\|')} |`,
    ...(planner.agent ? [`| agent cost | ${planner.agent.cached ? `from cache (first obtained in ${agentCost(planner.agent.rounds)})` : agentCost(planner.agent.rounds)} |`] : []),
    '',
    '## Plan',
    '',
    ...planTable(plan, input),
    '',
    `> ${quotedText(plan.rationale)}`,
    '',
  ];
  if (!validation.valid) {
    lines.push('The plan is not valid; `sixty apply` refuses it until these are fixed:', '', ...validation.problems.map((problem) => `- ${quotedText(problem)}`), '');
  }
  lines.push(
    '<details><summary>The plan as JSON</summary>',
    '',
    ...fenced('json', JSON.stringify(plan, null, 2)),
    '',
    '</details>',
    '',
    '## Acceptance criteria',
    '',
    ...acceptance(facts),
    '',
    '## Apply and verify',
    '',
    ...fenced('sh', verifyCommands(facts).join('\n')),
    '',
  );
  return lines.join('\n');
}

/** The tracker row for this ticket; the plan cell links the ticket (relative to docs/). */
export function trackerRowFor(facts: TicketFacts): TrackerRow {
  const link = ticketPath(facts.input.task, facts.date).slice('docs/'.length);
  return {
    target: facts.input.task,
    p90: formatDuration(facts.input.p90Ms),
    budget: formatDuration(facts.input.budgetMs),
    plan: `[${planHeadline(facts.plan)} (${facts.plan.source})](${link})`,
    status: ticketStatus(facts),
  };
}

/** Writes the ticket (whole, through a temporary file); returns its workspace-relative path. */
export function writeTicket(workspaceRoot: string, facts: TicketFacts): string {
  const relativePath = ticketPath(facts.input.task, facts.date);
  const file = join(workspaceRoot, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, renderTicket(facts));
  renameSync(temporary, file);
  return relativePath;
}
