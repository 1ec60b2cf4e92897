import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  budgetMsFor,
  formatDuration,
  isSixtyError,
  planDeclarationInputs,
  validateInputsPlan,
  type InputsPlan,
  type NxInput,
  type PlanValidation,
} from '@sixty/core';
import { readProjectGraphFromNx } from '../nx/graph-file';
import { EXIT, type Output } from '../output';
import type { Workspace } from '../workspace';
import { declarationFactsOf, estimateDeclarationSavings, reachedProjects } from './declaration-inputs';
import { parseTask } from './gather-planning-input';
import { verifyInputsPlan } from './verify-inputs';

/** The result of `sixty plan <project>:<target> --kind inputs`, also its --json output. */
export interface InputsPlanOutcome {
  plan: InputsPlan;
  validation: PlanValidation;
  planFile: string;
}

/** `.sixty/plans/<project>-<target>.inputs.json`: beside the target's split plan, never over it. */
export function inputsPlanFile(historyDir: string, task: string): string {
  const { project, target } = parseTask(task);
  return join(historyDir, 'plans', `${project}-${target}.inputs.json`.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** The workspace's projects with their resolved targets, and the project graph's edges. */
export function readDeclarationFacts(workspace: Workspace, target: string) {
  const { projects, projectDependencies } = readProjectGraphFromNx(workspace.root);
  return declarationFactsOf(workspace.root, projects, projectDependencies, target);
}

/**
 * Plans declaration-only inputs for the dependents of one build, verifies them by building in a
 * scratch copy, writes the plan. Exit 0 when valid (verified), 1 when no dependent can be
 * narrowed or the outputs differ (the plan is written for review).
 */
export function runInputsPlan(
  options: { cwd: string; task: string; out?: string; json: boolean; budget?: number },
  workspace: Workspace,
  output: Output,
): number {
  const { project, target } = parseTask(options.task);
  const facts = readDeclarationFacts(workspace, target);
  let plan: InputsPlan;
  try {
    plan = planDeclarationInputs({
      task: options.task,
      budgetMs: budgetMsFor(workspace.options, { project, target }, options.budget),
      targets: facts.targets,
      dependents: reachedProjects(facts.projectDependencies, project, 'dependents'),
      dependenciesOf: (name) => reachedProjects(facts.projectDependencies, name, 'dependencies'),
      namedInputs: facts.namedInputs,
    });
  } catch (error) {
    if (!isSixtyError(error) || error.code !== 'NO_USEFUL_PLAN') throw error;
    output.out(options.json ? JSON.stringify({ task: options.task, kind: 'inputs', refused: error.message, fix: error.fix }, null, 2) : `${options.task}: ${error.message}; no plan written\nfix: ${error.fix}`);
    return EXIT.failed;
  }
  const saving = estimateDeclarationSavings(workspace, target, new Set(plan.targets.map((t) => t.task)), [project])?.[0];
  if (saving) plan.loopEstimate = { beforeMs: saving.beforeMs, afterMs: saving.afterMs };
  plan.verification = verifyInputsPlan(workspace.root, plan, facts.targets);
  const validation = validateInputsPlan(plan, { task: options.task, projectRoots: facts.roots });
  const planFile = options.out ? resolve(options.cwd, options.out) : inputsPlanFile(workspace.historyDir, options.task);
  mkdirSync(dirname(planFile), { recursive: true });
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const outcome: InputsPlanOutcome = { plan, validation, planFile };
  output.out(options.json ? JSON.stringify(outcome, null, 2) : inputsPlanSummary(outcome, options.cwd));
  return validation.valid ? EXIT.ok : EXIT.failed;
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function inputText(inputs: readonly NxInput[]): string {
  return inputs.map((input) => (typeof input === 'string' ? input : JSON.stringify(input))).join(', ');
}

export function inputsPlanSummary(outcome: InputsPlanOutcome, cwd: string): string {
  const { plan, validation } = outcome;
  const project = plan.task.slice(0, plan.task.indexOf(':'));
  const lines = [`plan ${plan.task} (inputs, local): ${plan.targets.length} dependent build${plan.targets.length === 1 ? '' : 's'} can hash ${project}'s declarations instead of its sources`];
  const width = Math.max(...plan.targets.map((t) => t.task.length));
  for (const target of plan.targets) lines.push(`  ${target.task.padEnd(width)}  ${inputText(target.inputsBefore)}  ->  ${inputText(target.inputs)}`);
  if (plan.refused.length > 0) {
    lines.push(`  left as they are (${plan.refused.length}):`);
    for (const refusal of plan.refused.slice(0, 10)) lines.push(`    ${refusal.task}: ${refusal.reason}`);
    if (plan.refused.length > 10) lines.push(`    ... and ${plan.refused.length - 10} more (--json lists them)`);
  }
  const verification = plan.verification;
  if (verification) {
    const outcomeText = verification.identical ? `${verification.comparedFiles} output files byte-identical to a full build` : `${verification.differentFiles.length} of ${verification.comparedFiles} output files differ from a full build: ${verification.differentFiles.slice(0, 3).join(', ')}`;
    lines.push(`verified in a scratch copy: after ${verification.change}, ${verification.rebuilt.length} build${verification.rebuilt.length === 1 ? '' : 's'} ran (${verification.rebuilt.slice(0, 3).join(', ')}${verification.rebuilt.length > 3 ? ', ...' : ''}), ${verification.cached.length} came from cache; ${outcomeText}`);
  }
  if (plan.loopEstimate) {
    lines.push(`loop time of an implementation-only change in ${project}: ${formatDuration(plan.loopEstimate.beforeMs)} -> ${formatDuration(plan.loopEstimate.afterMs)} (estimate: simulated from history, cache restores as 0 ms)`);
  }
  if (validation.valid) {
    lines.push(`wrote ${shown(cwd, outcome.planFile)}`, `next: sixty apply ${shown(cwd, outcome.planFile)} --dry-run`);
  } else {
    lines.push('the plan is not valid:', ...validation.problems.map((p) => `  - ${p}`), `wrote ${shown(cwd, outcome.planFile)} (for review; apply refuses it)`);
  }
  return lines.join('\n');
}
