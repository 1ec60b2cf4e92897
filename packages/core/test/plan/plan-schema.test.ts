import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  PLAN_JSON_SCHEMA,
  PLAN_SHARD_SCHEMA,
  parsePlanDocument,
  planSchemaProblems,
  type FromSchema,
  type PlanShard,
  type SplitPlan,
  type TypesAreEqual,
} from '@sixty/core';
import { shardPlan, splitPlan } from './plan-fixtures';

describe('parsePlanDocument', () => {
  it('accepts shard and split plans, as text or as values', () => {
    expect(parsePlanDocument(JSON.stringify(shardPlan()))).toEqual({ ok: true, plan: shardPlan() });
    expect(parsePlanDocument(splitPlan())).toEqual({ ok: true, plan: splitPlan() });
    const minimal: SplitPlan = { ...splitPlan() };
    delete minimal.facade;
    delete minimal.cutEdges;
    delete minimal.keptFiles;
    delete minimal.keptEstimatedMs;
    expect(parsePlanDocument(minimal).ok).toBe(true);
  });

  it('says the text is unreadable when it is not JSON', () => {
    const result = parsePlanDocument('{"schemaVersion": 1,');
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ unreadable: true });
    expect(!result.ok && result.problems[0]).toMatch(/^plan: not valid JSON \(/);
  });

  it('names the JSON path of each schema mismatch', () => {
    const plan = splitPlan() as unknown as Record<string, unknown>;
    plan.schemaVersion = 2;
    plan.source = 'human';
    plan.extra = true;
    const projects = plan.projects as Array<Record<string, unknown>>;
    (projects[0] as Record<string, unknown>).name = 42;
    delete (projects[1] as Record<string, unknown>).entry;
    (projects[1] as Record<string, unknown>).files = ['ok.ts', ''];
    const result = parsePlanDocument(plan);
    expect(result).toEqual({
      ok: false,
      unreadable: false,
      problems: [
        'plan: unknown property "extra"',
        'plan.schemaVersion: must be 1',
        'plan.source: must be one of "local", "agent"',
        'plan.projects[0].name: must be string',
        'plan.projects[1]: missing property "entry"',
        'plan.projects[1].files[1]: must NOT have fewer than 1 characters',
      ],
    });
  });

  it('rejects values that are not plan objects, unknown kinds, and numbers JSON cannot hold', () => {
    expect(planSchemaProblems(null)).toEqual(['plan: must be a JSON object, got null']);
    expect(planSchemaProblems([1])).toEqual(['plan: must be a JSON object, got an array']);
    expect(planSchemaProblems('x')).toEqual(['plan: must be a JSON object, got string']);
    expect(planSchemaProblems({ ...shardPlan(), kind: 'merge' })).toEqual(['plan.kind: must be "shard" or "split", got "merge"']);
    expect(planSchemaProblems({ ...shardPlan(), kind: undefined })).toEqual(['plan.kind: must be "shard" or "split", got undefined']);
    const plan = shardPlan();
    (plan.shards[0] as PlanShard).estimatedMs = NaN;
    plan.budgetMs = Infinity;
    // ajv's number type excludes NaN and Infinity, which JSON cannot hold anyway
    expect(planSchemaProblems(plan)).toEqual(['plan.budgetMs: must be number', 'plan.shards[0].estimatedMs: must be number']);
  });

  it('reports prototype-pollution keys as unknown properties and leaves Object.prototype alone', () => {
    const text = JSON.stringify(shardPlan()).replace('{', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},');
    const result = parsePlanDocument(text);
    expect(result).toEqual({
      ok: false,
      unreadable: false,
      problems: ['plan: unknown property "__proto__"', 'plan: unknown property "constructor"'],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('PLAN_JSON_SCHEMA', () => {
  it('is a draft-07 schema ajv compiles, accepting both plan kinds and nothing else', () => {
    const validate = new Ajv({ strict: true }).compile(PLAN_JSON_SCHEMA);
    expect(validate(shardPlan())).toBe(true);
    expect(validate(splitPlan())).toBe(true);
    expect(validate({ ...shardPlan(), kind: 'split' })).toBe(false);
    expect(validate({ ...splitPlan(), projects: [] })).toBe(false);
  });

  it('matches the TypeScript types (checked by tsc: these lines fail to compile if the check is broken)', () => {
    type Expect<T extends true> = T;
    type ShardMatches = Expect<TypesAreEqual<FromSchema<typeof PLAN_SHARD_SCHEMA>, { name: string; files: string[]; estimatedMs: number }>>;
    const drift = { ...PLAN_SHARD_SCHEMA, required: ['name', 'files'] } as const;
    // @ts-expect-error: a schema where estimatedMs is optional no longer matches PlanShard
    type DriftMatches = Expect<TypesAreEqual<FromSchema<typeof drift>, PlanShard>>;
    const matches: ShardMatches = true;
    const drifted: TypesAreEqual<FromSchema<typeof drift>, PlanShard> = false;
    expect([matches, drifted]).toEqual([true, false]);
    expect(drift.required).toEqual(['name', 'files']);
    void (undefined as unknown as DriftMatches);
  });
});
