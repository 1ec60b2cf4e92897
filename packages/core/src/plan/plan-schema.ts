import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { capProblemLines, quote } from './problem-lines';
import { PLAN_SCHEMA_VERSION, type Plan, type PlanFacadeExport, type PlanFileHash, type PlanProject, type PlanShard, type ShardPlan, type SplitPlan } from './plan-types';

/*
 * The Plan as JSON Schema (draft-07, what ajv's default export validates). The TypeScript types
 * in plan-types.ts are checked against it at compile time (PlanSchemaMatchesTypes below): change
 * one without the other and `tsc` fails.
 */

export const MAX_PLAN_PATH_LENGTH = 1024;
export const MAX_PLAN_FILES = 200_000;
export const MAX_PLAN_PARTS = 10_000;
export const MAX_PLAN_NAME_LENGTH = 214;
export const MAX_PLAN_RATIONALE_LENGTH = 20_000;

const pathString = { type: 'string', minLength: 1, maxLength: MAX_PLAN_PATH_LENGTH } as const;
const pathList = { type: 'array', maxItems: MAX_PLAN_FILES, items: pathString } as const;
const nameString = { type: 'string', minLength: 1, maxLength: MAX_PLAN_NAME_LENGTH } as const;
const duration = { type: 'number', minimum: 0 } as const;

export const PLAN_SHARD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'files', 'estimatedMs'],
  properties: { name: nameString, files: pathList, estimatedMs: duration },
} as const;

export const PLAN_PROJECT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'root', 'files', 'dependsOn', 'entry', 'estimatedMs'],
  properties: {
    name: nameString,
    root: pathString,
    files: pathList,
    dependsOn: { type: 'array', maxItems: MAX_PLAN_PARTS, items: nameString },
    entry: pathString,
    estimatedMs: duration,
  },
} as const;

export const PLAN_FACADE_EXPORT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'project', 'module'],
  properties: { from: pathString, project: nameString, module: pathString },
} as const;

export const PLAN_FILE_HASH_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['file', 'sha256'],
  properties: { file: pathString, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
} as const;

const planBaseProperties = {
  schemaVersion: { type: 'number', const: PLAN_SCHEMA_VERSION },
  task: { type: 'string', minLength: 3, maxLength: 2 * MAX_PLAN_NAME_LENGTH + 100 },
  budgetMs: { type: 'number', exclusiveMinimum: 0 },
  rationale: { type: 'string', maxLength: MAX_PLAN_RATIONALE_LENGTH },
  source: { type: 'string', enum: ['local', 'agent'] },
} as const;

export const SHARD_PLAN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'kind', 'task', 'budgetMs', 'rationale', 'source', 'shards'],
  properties: {
    ...planBaseProperties,
    kind: { type: 'string', const: 'shard' },
    shards: { type: 'array', minItems: 1, maxItems: MAX_PLAN_PARTS, items: PLAN_SHARD_SCHEMA },
    oversizedFiles: {
      type: 'array',
      maxItems: MAX_PLAN_FILES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'estimatedMs'],
        properties: { file: pathString, estimatedMs: duration },
      },
    },
  },
} as const;

export const SPLIT_PLAN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'kind', 'task', 'budgetMs', 'rationale', 'source', 'projects'],
  properties: {
    ...planBaseProperties,
    kind: { type: 'string', const: 'split' },
    projects: { type: 'array', minItems: 1, maxItems: MAX_PLAN_PARTS, items: PLAN_PROJECT_SCHEMA },
    facade: { type: 'array', maxItems: MAX_PLAN_FILES, items: PLAN_FACADE_EXPORT_SCHEMA },
    cutEdges: { type: 'number', minimum: 0 },
    keptFiles: pathList,
    keptEstimatedMs: duration,
    fileHashes: { type: 'array', maxItems: MAX_PLAN_FILES, items: PLAN_FILE_HASH_SCHEMA },
    loopFloor: {
      type: 'object',
      additionalProperties: false,
      required: ['files', 'estimatedMs'],
      properties: { files: pathList, estimatedMs: duration },
    },
  },
} as const;

/** The whole Plan document, for agents and editors. */
export const PLAN_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://sixty.dev/schemas/plan-v1.json',
  title: 'sixty Plan (schema version 1)',
  description: 'How to bring a target under its time budget: shard its test files, or split its project.',
  oneOf: [SHARD_PLAN_SCHEMA, SPLIT_PLAN_SCHEMA],
} as const;

// ---- compile-time check: the schema and the TypeScript types describe the same documents ----

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<S> = S extends { required: readonly (infer K)[] } ? K : never;
type ObjectFromSchema<P, R> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } & {
    -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]>;
  }
>;
/** The TypeScript type of the documents a (subset of) JSON Schema accepts. */
export type FromSchema<S> = S extends { const: infer C }
  ? C
  : S extends { enum: readonly (infer E)[] }
    ? E
    : S extends { oneOf: readonly (infer U)[] }
      ? FromSchema<U>
      : S extends { type: 'string' }
        ? string
        : S extends { type: 'number' | 'integer' }
          ? number
          : S extends { type: 'boolean' }
            ? boolean
            : S extends { type: 'array'; items: infer I }
              ? Array<FromSchema<I>>
              : S extends { type: 'object'; properties: infer P }
                ? ObjectFromSchema<P, RequiredKeys<S>>
                : never;
/** True when A and B are the same type (not merely assignable either way). */
export type TypesAreEqual<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Expect<T extends true> = T;

export type PlanSchemaMatchesTypes = [
  Expect<TypesAreEqual<FromSchema<typeof PLAN_SHARD_SCHEMA>, Simplify<PlanShard>>>,
  Expect<TypesAreEqual<FromSchema<typeof PLAN_PROJECT_SCHEMA>, Simplify<PlanProject>>>,
  Expect<TypesAreEqual<FromSchema<typeof PLAN_FACADE_EXPORT_SCHEMA>, Simplify<PlanFacadeExport>>>,
  Expect<TypesAreEqual<FromSchema<typeof PLAN_FILE_HASH_SCHEMA>, Simplify<PlanFileHash>>>,
  Expect<TypesAreEqual<FromSchema<typeof SHARD_PLAN_SCHEMA>, DeepSimplify<ShardPlan>>>,
  Expect<TypesAreEqual<FromSchema<typeof SPLIT_PLAN_SCHEMA>, DeepSimplify<SplitPlan>>>,
];
type DeepSimplify<T> = T extends readonly (infer I)[] ? Array<DeepSimplify<I>> : T extends object ? { [K in keyof T]: DeepSimplify<T[K]> } & {} : T;

// ---- runtime validation ----

let validators: { shard: ValidateFunction; split: ValidateFunction } | undefined;

function compiledValidators(): { shard: ValidateFunction; split: ValidateFunction } {
  if (!validators) {
    // required here, not imported: loading ajv is a good part of the CLI's start-up, and most commands never validate a plan
    const { default: AjvClass } = require('ajv') as { default: typeof Ajv };
    const ajv = new AjvClass({ allErrors: true, strict: true });
    validators = { shard: ajv.compile(SHARD_PLAN_SCHEMA), split: ajv.compile(SPLIT_PLAN_SCHEMA) };
  }
  return validators;
}

/**
 * The ways a value fails the Plan schema, one line each with its JSON path
 * (`plan.projects[0].name: must be string`). Empty when it matches. Never throws.
 */
export function planSchemaProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`plan: must be a JSON object, got ${describeType(value)}`];
  }
  const kind = (value as { kind?: unknown }).kind;
  if (kind !== 'shard' && kind !== 'split') {
    return [`plan.kind: must be "shard" or "split", got ${typeof kind === 'string' ? quote(kind) : describeType(kind)}`];
  }
  const validate = compiledValidators()[kind];
  const problems: string[] = [];
  if (!validate(value)) {
    for (const error of validate.errors ?? []) problems.push(describeSchemaError(error));
  }
  return [...new Set(problems)];
}

export type PlanParseResult =
  | { ok: true; plan: Plan }
  /** unreadable: not JSON at all (the CLI's exit 2); otherwise the document does not match the schema. */
  | { ok: false; unreadable: boolean; problems: string[] };

/**
 * Reads a Plan document: JSON text, or a value already parsed. Checks it against the schema
 * only (validatePlan checks it against the project). Never throws.
 */
export function parsePlanDocument(input: unknown): PlanParseResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, unreadable: true, problems: [`plan: not valid JSON (${reason.slice(0, 200)})`] };
    }
  }
  let problems: string[];
  try {
    problems = planSchemaProblems(value);
  } catch (error) {
    problems = [`plan: could not be checked (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'})`];
  }
  if (problems.length > 0) return { ok: false, unreadable: false, problems: capProblemLines(problems) };
  return { ok: true, plan: value as Plan };
}

function describeSchemaError(error: ErrorObject): string {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path}: missing property ${quote(String(params.missingProperty))}`;
    case 'additionalProperty':
    case 'additionalProperties':
      return `${path}: unknown property ${quote(String(params.additionalProperty))}`;
    case 'const':
      return `${path}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${path}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${path}: ${error.message ?? error.keyword}`;
  }
}

/** `/projects/0/name` -> `plan.projects[0].name`. */
function jsonPath(pointer: string): string {
  let path = 'plan';
  if (pointer === '') return path;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment) && segment.length <= 64) path += `.${segment}`;
    else path += `[${quote(segment)}]`;
  }
  return path;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
