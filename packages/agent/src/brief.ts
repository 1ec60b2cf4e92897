import { createHash } from 'node:crypto';
import { SixtyError, type Plan, type PlanningInput, type PlanValidation } from '@sixty/core';
import { coChangeClusters, importCycles } from './graph-summary';
import { planFigures } from './plan-figures';
import { modelPlanSchema } from './response-schema';
import { validatorRules } from './plan-rules';

/** Bump when the brief's wording or layout changes: cached answers to the old brief no longer apply. */
export const BRIEF_VERSION = 1;

/** A file's contents for the brief (only with includeSource), already cut to its cap. */
export interface SourceFile {
  path: string;
  /** Size on disk. */
  bytes: number;
  text: string;
  truncated: boolean;
}

export interface BriefOptions {
  /** The brief's cap in bytes (system + user message). */
  maxBriefBytes: number;
  /** The local plan's validation; its problems are listed when it is not valid. */
  localValidation?: PlanValidation;
  /** File contents to include (includeSource); none by default. */
  sources?: readonly SourceFile[];
}

/** What the model is told: a fixed instruction (system) and the facts as JSON (user). Deterministic. */
export interface Brief {
  system: string;
  user: string;
  /** Both, as `sixty plan --print-brief` shows them. */
  text: string;
  bytes: number;
  /** sha256 of the text: the brief's identity in the cache and in reports. */
  sha256: string;
  /** Sections left out to fit the cap, one line each. */
  omitted: string[];
  /** Files whose contents are in the brief. */
  sourceFiles: number;
}

/** What each reduction step leaves out, in order, when the brief is over its cap. */
const REDUCTIONS = [
  { drop: 'sources', note: 'file contents' },
  { drop: 'coChangeClusters', note: 'co-change clusters' },
  { drop: 'imports', note: 'the import edges (import cycles are kept)' },
  { drop: 'existingProjects', note: 'existing project names other than those starting with the project name' },
] as const;
type Droppable = (typeof REDUCTIONS)[number]['drop'];

/**
 * The brief for a coding agent: the target, its budget and timings, the files with their
 * sizes and costs, the condensed import graph (edges, cycles, entry points), co-change
 * clusters, existing project names, the local plan as a starting point, the validator's
 * rules and the schema. No file contents unless `sources` are given. Same inputs, same
 * bytes. Sections are dropped in a fixed order to fit maxBriefBytes; a brief that still does
 * not fit is an error.
 */
export function buildBrief(input: PlanningInput, localPlan: Plan, options: BriefOptions): Brief {
  const system = systemMessage(input);
  const dropped = new Set<Droppable>();
  for (let step = 0; ; step++) {
    const omitted = REDUCTIONS.filter((reduction) => dropped.has(reduction.drop)).map((reduction) => `${reduction.note}, to fit the ${kilobytes(options.maxBriefBytes)} cap`);
    const user = formatFacts(facts(input, localPlan, options, dropped, omitted));
    const text = `${system}\n\n${user}\n`;
    const bytes = Buffer.byteLength(text);
    if (bytes <= options.maxBriefBytes) {
      return {
        system,
        user,
        text,
        bytes,
        sha256: createHash('sha256').update(text).digest('hex'),
        omitted,
        sourceFiles: dropped.has('sources') ? 0 : (options.sources?.length ?? 0),
      };
    }
    const next = REDUCTIONS[step];
    if (!next) {
      throw new SixtyError(
        'INVALID_ARGUMENT',
        `the agent brief for ${input.task} is ${kilobytes(bytes)} even in its shortest form, over the ${kilobytes(options.maxBriefBytes)} cap`,
        'plan locally (--planner local), or raise agent.maxBriefBytes in the @sixty/nx options of nx.json',
      );
    }
    dropped.add(next.drop);
  }
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`;
}

function systemMessage(input: PlanningInput): string {
  const goal =
    input.kind === 'shard'
      ? `Shard the test files of ${input.task} so that every shard runs within the budget.`
      : `Split the project ${input.project} into new projects so that ${input.task} of each part, and of what stays in ${input.project}, runs within the budget.`;
  const schema = modelPlanSchema(input.kind);
  return [
    'You plan how to bring one Nx target under its time budget, for sixty (a build-time budget tool).',
    goal,
    'The facts are in the next message as JSON: the target and its timings, the files with their sizes and costs (costMs: measured in JUnit reports, or estimated from size), the import graph, files that change together, and the local planner\'s plan.',
    'Start from facts.localPlan: return it unchanged if you cannot do better; otherwise improve it.',
    `Answer with one JSON document, a sixty Plan of kind "${input.kind}", and nothing else. Explain your choices in "rationale" in at most three sentences.`,
    '',
    'Rules the validator enforces (a plan that breaks one comes back to you with the problems):',
    ...validatorRules(input).map((rule) => `- ${rule}`),
    '',
    'The Plan JSON Schema:',
    JSON.stringify(schema),
  ].join('\n');
}

type Facts = Array<[string, unknown]>;

function facts(input: PlanningInput, localPlan: Plan, options: BriefOptions, dropped: ReadonlySet<Droppable>, omitted: string[]): Facts {
  const costs = new Map(input.fileCosts.map((file) => [file.path, file]));
  const sizes = new Map((input.importGraph?.files ?? []).map((file) => [file.path, file]));
  const placed = [...input.validation.projectFiles];
  const section: Facts = [
    [
      'target',
      {
        task: input.task,
        kind: input.kind,
        project: input.project,
        projectRoot: input.projectRoot,
        budgetMs: input.budgetMs,
        p90Ms: Math.round(input.p90Ms),
        overBudgetMs: Math.max(0, Math.round(input.p90Ms - input.budgetMs)),
        executions: input.executions,
      },
    ],
    [
      'files',
      {
        note: 'every file the plan must place; measured: 1 when costMs comes from a JUnit report',
        columns: ['path', 'bytes', 'costMs', 'measured', 'test'],
        rows: placed.map((path) => [
          path,
          sizes.get(path)?.bytes ?? null,
          Math.round(costs.get(path)?.costMs ?? 0),
          costs.get(path)?.source === 'junit' ? 1 : 0,
          sizes.get(path)?.isTest ? 1 : 0,
        ]),
      },
    ],
  ];
  if (input.kind === 'split' && input.importGraph) {
    const graph = input.importGraph;
    const inProject = new Set(placed);
    const edges = graph.edges.filter((edge) => inProject.has(edge.from) && inProject.has(edge.to));
    section.push(['importCycles', importCycles(placed, edges)]);
    if (!dropped.has('imports')) {
      section.push(['imports', { columns: ['from', 'to', 'kind'], rows: edges.map((edge) => [edge.from, edge.to, edge.typeOnly ? 'type' : edge.dynamic ? 'dynamic' : '']) }]);
    }
    section.push(['entryPoints', graph.entryPoints], ['publicModules', graph.publicModules]);
    if (graph.symlinksOutside.length > 0) section.push(['symlinksOutside', graph.symlinksOutside]);
    if (!dropped.has('coChangeClusters') && input.coChange) {
      section.push(['coChangeClusters', { commitsRead: input.coChange.commitsUsed, clusters: coChangeClusters(input.coChange) }]);
    }
    const prefix = `${input.project.toLowerCase()}`;
    const existing = dropped.has('existingProjects') ? input.existingProjects.filter((name) => name.toLowerCase().startsWith(prefix)) : input.existingProjects;
    section.push(['existingProjects', [...existing].sort()]);
  }
  const figures = planFigures(localPlan, input);
  section.push(['localPlan', localPlan], ['localPlanFigures', { parts: figures.parts, slowestPartMs: Math.round(figures.longestMs), gainMs: Math.round(figures.gainMs), cutEdges: figures.cutEdges }]);
  if (options.localValidation && !options.localValidation.valid) section.push(['localPlanProblems', options.localValidation.problems]);
  if (!dropped.has('sources') && options.sources && options.sources.length > 0) {
    section.push(['sources', options.sources.map((file) => ({ path: file.path, bytes: file.bytes, truncated: file.truncated, text: file.text }))]);
  }
  if (omitted.length > 0) section.push(['omitted', omitted]);
  return section;
}

/**
 * JSON with one top-level key per line and one row or list element per line: valid JSON,
 * readable in `--print-brief`, and diffable.
 */
function formatFacts(entries: Facts): string {
  const lines = entries.map(([key, value]) => `${JSON.stringify(key)}: ${formatValue(value)}`);
  return `{\n${lines.join(',\n')}\n}`;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.length > 1 && value.some((item) => typeof item === 'object' && item !== null)) {
    return `[\n  ${value.map((item) => JSON.stringify(item)).join(',\n  ')}\n]`;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'rows' in value) {
    const { rows, ...rest } = value as { rows: unknown[] };
    const head = Object.entries(rest).map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`);
    const body = rows.length > 0 ? `[\n  ${rows.map((row) => JSON.stringify(row)).join(',\n  ')}\n]` : '[]';
    return `{${[...head, `"rows": ${body}`].join(', ')}}`;
  }
  return JSON.stringify(value);
}
