import { defaultPlanKind } from '@sixty/core';
import type { RootAdapter } from './root-adapter';

/** Test targets go only to projects that have test files (a runner with no files fails). */
export function isTestTarget(targetName: string): boolean {
  return defaultPlanKind(targetName) === 'shard';
}

type Json = Record<string, unknown>;

function withoutTestTargets(targets: unknown): Json | undefined {
  if (typeof targets !== 'object' || targets === null) return undefined;
  return Object.fromEntries(Object.entries(targets as Json).filter(([name]) => !isTestTarget(name)));
}

export interface PartConfigurationInput {
  /** The old project's project.json (or its package.json `nx` field) as written. */
  old: Json;
  name: string;
  root: string;
  hasTests: boolean;
  adapter: RootAdapter;
  /** `$schema` for the new file, when the old one had one. */
  schemaPath?: string;
}

/**
 * The new project's configuration: the old one's, adapted to the new root (targets, sourceRoot,
 * inputs and outputs), as a library, without test targets when it has no test files.
 */
export function partConfiguration(input: PartConfigurationInput): Json {
  const { old, adapter } = input;
  const result: Json = { name: input.name };
  if (old.$schema !== undefined && input.schemaPath !== undefined) result.$schema = input.schemaPath;
  if (old.root !== undefined) result.root = input.root;
  result.sourceRoot = typeof old.sourceRoot === 'string' ? adapter.string(old.sourceRoot) : `${input.root}/src`;
  result.projectType = 'library';
  result.tags = Array.isArray(old.tags) ? [...old.tags] : [];
  for (const [key, value] of Object.entries(old)) {
    if (['name', '$schema', 'root', 'sourceRoot', 'projectType', 'tags', 'targets'].includes(key)) continue;
    result[key] = adapter.json(value);
  }
  const targets = adapter.json(old.targets ?? {}) as Json;
  result.targets = input.hasTests ? targets : (withoutTestTargets(targets) ?? {});
  return result;
}

/** The old project's configuration once no test file is left in it: its test targets go. Undefined when nothing changes. */
export function keptConfiguration(old: Json, keepsTests: boolean): Json | undefined {
  if (keepsTests) return undefined;
  const targets = withoutTestTargets(old.targets);
  if (targets === undefined || Object.keys(targets).length === Object.keys(old.targets as Json).length) return undefined;
  return { ...old, targets };
}
