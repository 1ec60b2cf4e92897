import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isSixtyError, pluginOptionsFromNxJson, type Plan, type PlanningInput, plural } from '@sixty/core';
import {
  AGENT_CACHE_DIRECTORY,
  buildBrief,
  choosePlan,
  displayBaseUrl,
  normalizeAgentConfig,
  planFigures,
  readSourceFiles,
  runAgentPlanner,
  trackerRowFor,
  writeTicket,
  writeTrackerRow,
  type AgentConfig,
  type AgentFlags,
  type AgentRound,
  type Brief,
  type PlanCandidate,
  type PlanChoice,
  type PlanFigures,
  type TrackerChange,
} from '@sixty/agent';
import type { Output } from '../output';
import type { Workspace } from '../workspace';

export type PlannerMode = 'local' | 'agent' | 'auto';

/** The `planner` section of `sixty plan --json` (present with --planner agent or auto). */
export interface PlannerReport {
  mode: Exclude<PlannerMode, 'local'>;
  /** Whether the agent was asked (auto asks only when the local plan is not good enough). */
  asked: boolean;
  /** Why it was asked, or not. */
  why: string;
  model: string;
  api: AgentConfig['api'];
  /** The server, without credentials or query. */
  baseUrl: string;
  brief: { bytes: number; sha256: string; omitted: string[]; sourceFiles: number } | null;
  cache: { status: 'hit' | 'miss' | 'off'; file: string | null; rounds: AgentRound[] };
  rounds: AgentRound[];
  requests: number;
  tokensIn: number;
  tokensOut: number;
  /** Why the agent gave no valid plan; null when it did (or was not asked). */
  failure: string | null;
  winner: PlanChoice['winner'];
  reason: string;
  figures: { local: PlanFigures; agent: PlanFigures | null };
}

export interface AgentPlanningOptions {
  mode: Exclude<PlannerMode, 'local'>;
  /** auto: ask the agent even when the local plan is valid. */
  agentReview: boolean;
  flags: AgentFlags;
  env: Record<string, string | undefined>;
}

/** The agent settings: nx.json `agent` options, the environment, then the flags. Invalid settings are warned about once. */
export function agentConfigFor(workspace: Workspace, flags: AgentFlags, env: Record<string, string | undefined>, output: Output): AgentConfig {
  const nxJson = join(workspace.root, 'nx.json');
  const pluginOptions = existsSync(nxJson) ? pluginOptionsFromNxJson(readFileSync(nxJson, 'utf8')).options : undefined;
  const agentOptions = typeof pluginOptions === 'object' && pluginOptions !== null ? (pluginOptions as { agent?: unknown }).agent : undefined;
  const { config, problems } = normalizeAgentConfig({ pluginOptions: agentOptions, env, flags });
  for (const problem of problems) output.err(`warning: ${problem}`);
  return config;
}

/** The brief for this target, with file contents only when --include-source asks for them. */
export function briefFor(workspace: Workspace, input: PlanningInput, local: PlanCandidate, config: AgentConfig): Brief {
  const sources = config.includeSource ? readSourceFiles(workspace.root, input, { maxFileBytes: config.maxSourceFileBytes, maxTotalBytes: config.maxSourceBytes }) : undefined;
  return buildBrief(input, local.plan, { maxBriefBytes: config.maxBriefBytes, localValidation: local.validation, ...(sources ? { sources } : {}) });
}


/**
 * Runs the agent planner for `sixty plan --planner agent|auto` and chooses between its plan and
 * the local one. auto asks only when the local plan is not valid or leaves a part over budget
 * (or with --agent-review), and keeps the local plan when no key is configured.
 */
export async function planWithAgent(
  workspace: Workspace,
  input: PlanningInput,
  local: PlanCandidate,
  options: AgentPlanningOptions,
  output: Output,
): Promise<{ choice: PlanChoice; report: PlannerReport }> {
  const config = agentConfigFor(workspace, options.flags, options.env, output);
  // the loop runs with nx's worker count: the same default as the what-if prediction
  const parallel = workspace.nxParallel ?? 3;
  const localFigures = planFigures(local.plan, input, { parallel });
  const base = { mode: options.mode, model: config.model, api: config.api, baseUrl: displayBaseUrl(config.baseUrl) };
  const notAsked = (why: string): { choice: PlanChoice; report: PlannerReport } => {
    const choice = choosePlan(input, local, null, { agentFailure: why, parallel });
    const reason = `the agent was not asked: ${why}`;
    return {
      choice: { ...choice, reason },
      report: { ...base, asked: false, why, brief: null, cache: { status: 'off', file: null, rounds: [] }, rounds: [], requests: 0, tokensIn: 0, tokensOut: 0, failure: null, winner: 'local', reason, figures: choice.figures },
    };
  };

  let why: string;
  if (options.mode === 'agent') why = '--planner agent';
  else if (!local.validation.valid) why = `the local plan is not valid (${plural(local.validation.problems.length, 'problem')})`;
  else if (localFigures.overBudget > 0) why = `the local plan leaves ${plural(localFigures.overBudget, 'part')} over budget`;
  else if (options.agentReview) why = '--agent-review';
  else return notAsked('the local plan is valid and every part is within budget (--agent-review asks anyway)');

  const brief = briefFor(workspace, input, local, config);
  let result;
  try {
    result = await runAgentPlanner({ input, brief, config, cacheDir: join(workspace.historyDir, AGENT_CACHE_DIRECTORY) });
  } catch (error) {
    // auto without a key keeps the local plan; --planner agent says what to configure (exit 2)
    if (options.mode === 'auto' && isSixtyError(error) && error.code === 'INVALID_CONFIG') return notAsked(error.message);
    throw error;
  }
  const agent = result.plan && result.validation ? { plan: result.plan, validation: result.validation } : null;
  const choice = choosePlan(input, local, agent, { parallel, ...(result.failure ? { agentFailure: result.failure } : {}) });
  const cacheFile = result.cache.file ? relative(workspace.root, join(workspace.historyDir, AGENT_CACHE_DIRECTORY, result.cache.file)).split('\\').join('/') : null;
  return {
    choice,
    report: {
      ...base,
      asked: true,
      why,
      brief: { bytes: brief.bytes, sha256: brief.sha256, omitted: brief.omitted, sourceFiles: brief.sourceFiles },
      cache: { ...result.cache, file: cacheFile },
      rounds: result.rounds,
      requests: result.requests,
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
      failure: result.failure,
      winner: choice.winner,
      reason: choice.reason,
      figures: choice.figures,
    },
  };
}

const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

function roundLine(round: AgentRound): string {
  const detail =
    round.outcome === 'valid'
      ? 'valid'
      : round.outcome === 'invalid'
        ? `invalid: ${plural(round.problems.length, 'problem')} (first: ${round.problems[0] ?? '?'})`
        : `${round.outcome}: ${round.problems[0] ?? ''}`;
  const tokens = `${thousands(round.tokensIn)} in / ${thousands(round.tokensOut)} out`;
  return `  round ${round.round}  ${plural(round.requests, 'request').padEnd(10)}  ${tokens.padEnd(20)}  ${`${round.ms}ms`.padStart(7)}  ${detail}`;
}

/** The planner's lines in the `sixty plan` summary: whether the agent was asked, each round, the choice and why. */
export function plannerSummaryLines(report: PlannerReport): string[] {
  if (!report.asked) return [`planner ${report.mode}: ${report.reason}`];
  const lines = [`planner ${report.mode}: asked the agent (${report.why})`];
  const server = `${report.model} (${report.api}, ${report.baseUrl})`;
  if (report.cache.status === 'hit') {
    const first = report.cache.rounds;
    lines.push(
      `agent ${server}: answer from cache ${report.cache.file ?? ''}, no request (first obtained in ${plural(first.length, 'round')}, ${plural(first.reduce((total, round) => total + round.requests, 0), 'request')}; --no-cache asks again)`,
    );
  } else {
    lines.push(`agent ${server}: ${plural(report.rounds.length, 'round')}, ${plural(report.requests, 'request')}, ${thousands(report.tokensIn)} tokens in, ${thousands(report.tokensOut)} out`);
    lines.push(...report.rounds.map(roundLine));
  }
  lines.push(`chose ${report.winner}: ${report.reason}`);
  return lines;
}

export interface TicketOutcome {
  /** Workspace-relative path of the ticket. */
  file: string;
  tracker: string;
  trackerChange: TrackerChange;
}

/** `--ticket`: the ticket under docs/exec-plans and the target's row in docs/tech-debt-tracker.md. */
export function writeTicketAndTracker(
  workspace: Workspace,
  input: PlanningInput,
  chosen: { plan: Plan; validation: PlanCandidate['validation'] },
  planFile: string,
  report: PlannerReport | undefined,
  date: string,
): TicketOutcome {
  const facts = {
    input,
    plan: chosen.plan,
    validation: chosen.validation,
    figures: planFigures(chosen.plan, input, { parallel: workspace.nxParallel ?? 3 }),
    planFile: relative(workspace.root, planFile).split('\\').join('/'),
    date,
    planner: {
      winner: report?.winner ?? ('local' as const),
      reason: report?.reason ?? 'planned with --planner local',
      ...(report?.asked ? { agent: { model: report.model, rounds: report.cache.status === 'hit' ? report.cache.rounds : report.rounds, cached: report.cache.status === 'hit' } } : {}),
    },
  };
  const file = writeTicket(workspace.root, facts);
  const tracker = writeTrackerRow(workspace.root, trackerRowFor(facts));
  return { file, tracker: relative(workspace.root, tracker.file).split('\\').join('/'), trackerChange: tracker.change };
}
