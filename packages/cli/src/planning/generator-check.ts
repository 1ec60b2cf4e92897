import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { capProblemLines, type PlanValidation } from '@sixty/core';

/** The answer of @sixty/nx's checkSplitPlan (split-plan-check.ts in the plugin). */
type SplitPlanCheck =
  | { status: 'applies' | 'already-applied'; problems: readonly string[] }
  | { status: 'refused'; headline: string; problems: readonly string[]; fix: string };

type CheckSplitPlan = (workspaceRoot: string, planPath: string) => SplitPlanCheck;

/** What the generator said of a split plan, or why it could not be asked. */
export type GeneratorCheck = { ran: true; check: SplitPlanCheck } | { ran: false; reason: string };

/**
 * The decompose generator's own check, from the @sixty/nx the workspace has installed (the one
 * `sixty apply` runs): resolved as nx resolves a plugin's generators, through its package.json.
 */
function loadCheckSplitPlan(workspaceRoot: string): CheckSplitPlan | string {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(workspaceRoot, 'package.json')).resolve('@sixty/nx/package.json');
  } catch {
    return '@sixty/nx is not installed in this workspace (npm install -D @sixty/nx); sixty apply needs it too';
  }
  try {
    const directory = dirname(manifestPath);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { generators?: string };
    const generators = JSON.parse(readFileSync(join(directory, manifest.generators ?? 'generators.json'), 'utf8')) as { generators: Record<string, { factory: string }> };
    const factory = generators.generators.decompose?.factory;
    if (factory === undefined) return `${manifestPath} declares no decompose generator`;
    const generatorModule = createRequire(manifestPath)(join(directory, factory.replace(/#.*$/, ''))) as { checkSplitPlan?: CheckSplitPlan };
    return typeof generatorModule.checkSplitPlan === 'function' ? generatorModule.checkSplitPlan : `the installed @sixty/nx (${directory}) is older than this sixty: update it`;
  } catch (error) {
    return `could not load the decompose generator of @sixty/nx: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** Runs the generator's checks on a split plan file (workspace-relative or absolute path), writing nothing. */
export function checkWithGenerator(workspaceRoot: string, planPath: string): GeneratorCheck {
  const checkSplitPlan = loadCheckSplitPlan(workspaceRoot);
  if (typeof checkSplitPlan === 'string') return { ran: false, reason: checkSplitPlan };
  return { ran: true, check: checkSplitPlan(workspaceRoot, planPath) };
}

/**
 * One verdict from the validator and the generator: a plan is valid only when both accept it, and
 * every problem either names is listed once. The generator runs the same validator (against the
 * Tree), so most of its lines repeat the validator's.
 */
export function mergeGeneratorCheck(validation: PlanValidation, generator: GeneratorCheck): PlanValidation {
  if (!generator.ran || generator.check.status !== 'refused') return validation;
  const problems = [...new Set([...validation.problems.filter((line) => !line.startsWith('... and ')), ...generator.check.problems])];
  if (problems.length === 0) problems.push(generator.check.headline);
  return { valid: false, problems: capProblemLines(problems) };
}
