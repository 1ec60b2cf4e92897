import { SHARD_PLAN_SCHEMA, SPLIT_PLAN_SCHEMA, type PlanKind } from '@sixty/core';

/**
 * The Plan schema in the subset structured outputs accept in strict mode: one object at the
 * root (the kind being planned, not a oneOf), every property required with optional ones
 * nullable, no additional properties, `const` as a one-value enum, and only the keywords
 * grammar-constrained decoders know. dropNullProperties() turns the answer back into a Plan.
 */

type JsonSchema = Record<string, unknown>;

/**
 * Plan properties the model must not write: facts sixty computes itself (the hashes of the
 * planned files, taken when the plan file is written). Dropped from the schema and the answer.
 */
export const FACT_PROPERTIES: readonly string[] = ['fileHashes'];

/** The Plan schema of one kind, as the validator checks it, without the properties sixty fills in. */
export function modelPlanSchema(kind: PlanKind): JsonSchema {
  const source = (kind === 'shard' ? SHARD_PLAN_SCHEMA : SPLIT_PLAN_SCHEMA) as unknown as JsonSchema;
  const properties = { ...(source.properties as Record<string, JsonSchema>) };
  for (const name of FACT_PROPERTIES) delete properties[name];
  return { ...source, properties };
}

/** Keywords kept on scalars; size caps (maxItems, maxLength) stay with the validator. */
const KEPT_KEYWORDS = ['minimum', 'exclusiveMinimum', 'minItems'] as const;

function strictSchema(schema: JsonSchema): JsonSchema {
  if (schema.type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    const strictProperties: Record<string, JsonSchema> = {};
    for (const [name, property] of Object.entries(properties)) {
      const converted = strictSchema(property);
      strictProperties[name] = required.has(name) ? converted : { anyOf: [converted, { type: 'null' }] };
    }
    return { type: 'object', properties: strictProperties, required: Object.keys(strictProperties), additionalProperties: false };
  }
  const converted: JsonSchema = { type: schema.type };
  if (schema.type === 'array') converted.items = strictSchema(schema.items as JsonSchema);
  if ('const' in schema) converted.enum = [schema.const];
  if (Array.isArray(schema.enum)) converted.enum = [...schema.enum];
  for (const keyword of KEPT_KEYWORDS) if (schema[keyword] !== undefined) converted[keyword] = schema[keyword];
  return converted;
}

export interface PlanResponseFormat {
  /** The response format's name (letters, digits, _ and -). */
  name: string;
  schema: JsonSchema;
}

/** The structured-output schema for a plan of this kind. */
export function planResponseFormat(kind: PlanKind): PlanResponseFormat {
  const source = modelPlanSchema(kind);
  return { name: kind === 'shard' ? 'sixty_shard_plan' : 'sixty_split_plan', schema: strictSchema(source) };
}

/**
 * A copy without the properties whose value is null (how strict mode says "absent"). No Plan
 * field is ever null, so nothing meaningful is lost; a null required field becomes a missing
 * one, which the schema check then names.
 */
export function dropNullProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullProperties);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) result[key] = dropNullProperties(item);
  return result;
}
