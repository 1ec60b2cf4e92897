import type { default as Ajv, ValidateFunction } from 'ajv';
import { PLAN_SCHEMA_VERSION } from './plan-types';
import { capProblemLines, quote } from './problem-lines';
import { unsafePathReason } from '../workspace-files/safe-path';
import type { PlanValidation } from './validate-plan';

/*
 * The inputs plan: declaration-only build inputs. A dependent's build that compiles against its
 * dependencies' declarations needs to rerun only when those declarations change, so its nx inputs
 * can hash the dependencies' built `.d.ts` files (`dependentTasksOutputFiles`) instead of their
 * sources (`^production`). An implementation-only change then rebuilds one project, not every
 * dependent. Its own document kind (not part of the shard/split Plan an agent may write): it is
 * made from nx's resolved target configurations and checked by building, never by a model.
 */

/** One nx input: a file set, a named input, or an object form (`{ dependentTasksOutputFiles }`, `{ env }`, ...). */
export type NxInput = string | { [key: string]: unknown };

/** What replaces the dependencies' sources in a narrowed build's inputs. */
export const DECLARATION_OUTPUTS_INPUT = { dependentTasksOutputFiles: '**/*.d.ts', transitive: true } as const;

/** One build target whose inputs the plan narrows. */
export interface InputsPlanTarget {
  /** `project:target`. */
  task: string;
  /** The project.json the generator writes the target's inputs into (workspace-relative). */
  configFile: string;
  /** The target's inputs as nx resolves them today (targetDefaults merged). */
  inputsBefore: NxInput[];
  /** The inputs the plan sets: the same, with every dependency-source input replaced by DECLARATION_OUTPUTS_INPUT. */
  inputs: NxInput[];
}

/** A build target the plan leaves as it is, and why. */
export interface InputsPlanRefusal {
  task: string;
  reason: string;
}

/**
 * How the plan was checked in a scratch copy of the workspace: with the new inputs, every build
 * ran once, then `change` (an implementation-only edit) and the builds again, some from cache;
 * those outputs compared byte for byte with a full build (cache skipped) of the same change
 * with today's inputs.
 */
export interface InputsVerification {
  /** The edit made, e.g. `appended "void 0;" to libs/core/src/index.ts`. */
  change: string;
  /** Tasks that ran after the change with the new inputs. */
  rebuilt: string[];
  /** Tasks nx restored from cache after the change with the new inputs. */
  cached: string[];
  /** Output files compared. */
  comparedFiles: number;
  /** Files that differ, or exist on one side only (workspace-relative, sorted, at most 50). */
  differentFiles: string[];
  identical: boolean;
}

export interface InputsPlan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  kind: 'inputs';
  /** The build whose implementation changes stop rebuilding its dependents, `project:target`. */
  task: string;
  budgetMs: number;
  rationale: string;
  source: 'local';
  targets: InputsPlanTarget[];
  refused: InputsPlanRefusal[];
  /** Loop time of a change in the plan's project (simulated, an estimate): today, and with its dependents' builds from cache. */
  loopEstimate?: { beforeMs: number; afterMs: number };
  verification?: InputsVerification;
}

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const inputList = { type: 'array', maxItems: 1000, items: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'object' }] } } as const;
const taskList = { type: 'array', maxItems: 100_000, items: text(600) } as const;

export const INPUTS_PLAN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'kind', 'task', 'budgetMs', 'rationale', 'source', 'targets', 'refused'],
  properties: {
    schemaVersion: { type: 'number', const: PLAN_SCHEMA_VERSION },
    kind: { type: 'string', const: 'inputs' },
    task: text(600),
    budgetMs: { type: 'number', exclusiveMinimum: 0 },
    rationale: { type: 'string', maxLength: 20_000 },
    source: { type: 'string', const: 'local' },
    targets: {
      type: 'array',
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['task', 'configFile', 'inputsBefore', 'inputs'],
        properties: { task: text(600), configFile: text(1024), inputsBefore: inputList, inputs: inputList },
      },
    },
    refused: {
      type: 'array',
      maxItems: 100_000,
      items: { type: 'object', additionalProperties: false, required: ['task', 'reason'], properties: { task: text(600), reason: text(2000) } },
    },
    loopEstimate: {
      type: 'object',
      additionalProperties: false,
      required: ['beforeMs', 'afterMs'],
      properties: { beforeMs: { type: 'number', minimum: 0 }, afterMs: { type: 'number', minimum: 0 } },
    },
    verification: {
      type: 'object',
      additionalProperties: false,
      required: ['change', 'rebuilt', 'cached', 'comparedFiles', 'differentFiles', 'identical'],
      properties: {
        change: text(2000),
        rebuilt: taskList,
        cached: taskList,
        comparedFiles: { type: 'number', minimum: 0 },
        differentFiles: { type: 'array', maxItems: 1000, items: text(1024) },
        identical: { type: 'boolean' },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;

function inputsPlanSchemaProblems(value: unknown): string[] {
  if (!validator) {
    // required here, not imported: most commands never validate a plan (see plan-schema.ts)
    const { default: AjvClass } = require('ajv') as { default: typeof Ajv };
    validator = new AjvClass({ allErrors: true, strict: false }).compile(INPUTS_PLAN_SCHEMA);
  }
  if (validator(value)) return [];
  return [...new Set((validator.errors ?? []).map((error) => `plan${error.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}: ${error.message ?? error.keyword}`))];
}

/** True when an input hashes the sources of the project's dependencies (`^production`, `{ input, dependencies: true }`). */
export function readsDependencySources(input: NxInput): boolean {
  if (typeof input === 'string') return input.startsWith('^');
  return input.dependencies === true || (typeof input.input === 'string' && input.input.startsWith('^'));
}

/** True when an input is the declaration-outputs input this plan sets. */
export function isDeclarationOutputsInput(input: NxInput): boolean {
  return typeof input === 'object' && input.dependentTasksOutputFiles === DECLARATION_OUTPUTS_INPUT.dependentTasksOutputFiles && input.transitive === true;
}

/** What an inputs plan is checked against: read by the caller from nx, never from the plan. */
export interface InputsPlanContext {
  /** The plan must be for this task, when given. */
  task?: string;
  /** project -> its root, for every project of the workspace. */
  projectRoots: ReadonlyMap<string, string>;
}

/**
 * Checks an inputs plan before it is applied: the schema; every target a build of a known
 * project, written into that project's project.json; its new inputs read no dependency sources
 * and hash the dependencies' declarations; and a passed verification (outputs byte-identical).
 * Never throws.
 */
export function validateInputsPlan(plan: unknown, context: InputsPlanContext): PlanValidation {
  const problems: string[] = [];
  try {
    problems.push(...inputsPlanSchemaProblems(plan));
    if (problems.length === 0) checkInputsPlan(plan as InputsPlan, context, problems);
  } catch (error) {
    problems.push(`plan: could not be fully checked (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'})`);
  }
  return { valid: problems.length === 0, problems: capProblemLines(problems) };
}

function checkInputsPlan(plan: InputsPlan, context: InputsPlanContext, problems: string[]): void {
  if (!/^[^\s:]+:[^\s:]+$/.test(plan.task)) problems.push(`plan.task: ${quote(plan.task)} must look like project:target`);
  else if (context.task !== undefined && plan.task !== context.task) problems.push(`plan.task: ${quote(plan.task)} is not the target being planned (${context.task})`);
  else if (!context.projectRoots.has(plan.task.split(':')[0]!)) problems.push(`plan.task: ${quote(plan.task)} names no project of this workspace`);
  if (plan.targets.length === 0) problems.push('plan.targets: empty; there is no build to narrow');
  const seen = new Set<string>();
  plan.targets.forEach((target, i) => {
    const at = `plan.targets[${i}] (${quote(target.task)})`;
    const [project = '', name] = target.task.split(':');
    if (name === undefined || target.task.split(':').length !== 2) return void problems.push(`${at}: must look like project:target`);
    if (seen.has(target.task)) problems.push(`${at}: listed twice`);
    seen.add(target.task);
    const root = context.projectRoots.get(project);
    if (root === undefined) return void problems.push(`${at}: no project ${quote(project)} in this workspace`);
    const expected = root === '' ? 'project.json' : `${root}/project.json`;
    const unsafe = unsafePathReason(target.configFile);
    if (unsafe) problems.push(`${at}: configFile ${quote(target.configFile)} ${unsafe}`);
    else if (target.configFile !== expected) problems.push(`${at}: configFile ${quote(target.configFile)} is not the project's own ${expected}`);
    if (target.inputs.some(readsDependencySources)) problems.push(`${at}: its new inputs still read dependency sources (${target.inputs.filter(readsDependencySources).map((input) => JSON.stringify(input)).join(', ')})`);
    if (!target.inputs.some(isDeclarationOutputsInput)) problems.push(`${at}: its new inputs lack ${JSON.stringify(DECLARATION_OUTPUTS_INPUT)}, so a change to a dependency's declarations would not rebuild it`);
  });
  const verification = plan.verification;
  if (verification === undefined) {
    problems.push(`plan.verification: missing; the outputs were never compared. next: sixty plan ${plan.task} --kind inputs`);
  } else if (!verification.identical) {
    problems.push(
      `plan.verification: after ${verification.change}, the builds with the new inputs left ${verification.differentFiles.length} output file(s) different from a full build (${verification.differentFiles.slice(0, 5).join(', ')}): they do not compile against declarations only`,
    );
  } else {
    const verified = new Set([...verification.rebuilt, ...verification.cached]);
    const unverified = plan.targets.filter((target) => !verified.has(target.task)).map((target) => target.task);
    if (unverified.length > 0) problems.push(`plan.verification: did not build ${unverified.slice(0, 5).join(', ')}${unverified.length > 5 ? ', ...' : ''}; plan again`);
  }
}
