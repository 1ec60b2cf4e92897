import { writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { getProjects, logger, type Tree } from 'nx/src/devkit-exports';
import { setTargetInputs, validateInputsPlan, type ChangeSet, type InputsPlan } from '@sixty/core';
import { DecomposeRefusal } from '../decompose/decompose-refusal';
import { readPlanText } from '../decompose/read-plan-file';

export interface InputsGeneratorSchema {
  /** Path of the inputs plan, relative to the workspace root (or the current directory). */
  plan: string;
  /** `sixty apply`: write the change set to this absolute path instead of the Tree. */
  changesFile?: string;
}

const WRITTEN_BY = 'sixty plan <project>:build --kind inputs';

/**
 * `nx g @sixty/nx:inputs --plan=<file> [--dry-run]`: sets the inputs an inputs plan names in each
 * dependent's project.json (comments and formatting kept). Refuses, with nothing written, a plan
 * that is not valid for this workspace or whose outputs did not verify. An applied plan changes nothing.
 */
export default async function inputsGenerator(tree: Tree, schema: InputsGeneratorSchema): Promise<undefined> {
  if (typeof schema.plan !== 'string' || schema.plan.trim() === '') {
    throw new DecomposeRefusal('which plan? --plan is required', [], `pass --plan=<file>, e.g. written by ${WRITTEN_BY}`);
  }
  const { shownPath, text } = readPlanText(tree, schema.plan.trim(), WRITTEN_BY);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new DecomposeRefusal(`cannot apply ${shownPath}: it is not JSON`, [], `make a new one with ${WRITTEN_BY}`);
  }
  const projectRoots = new Map([...getProjects(tree)].map(([name, project]) => [name, project.root === '.' ? '' : project.root]));
  const validation = validateInputsPlan(plan, { projectRoots });
  if (!validation.valid) throw new DecomposeRefusal(`cannot apply ${shownPath}: it is not a valid inputs plan for this workspace`, validation.problems, `make a new one with ${WRITTEN_BY}`);
  const { task, targets } = plan as InputsPlan;

  const writes: Array<{ path: string; content: string }> = [];
  const problems: string[] = [];
  for (const target of targets) {
    const name = target.task.slice(target.task.indexOf(':') + 1);
    const current = tree.exists(target.configFile) ? tree.read(target.configFile, 'utf-8') : null;
    if (current === null) {
      problems.push(`${target.configFile}: no such file`);
      continue;
    }
    const updated = setTargetInputs(current, name, target.inputs);
    if ('error' in updated) problems.push(`${target.configFile}: ${updated.error}`);
    else if (!updated.unchanged) writes.push({ path: target.configFile, content: updated.text });
  }
  if (problems.length > 0) throw new DecomposeRefusal(`cannot apply ${shownPath}`, problems, `make a new one with ${WRITTEN_BY}`);

  const summary =
    writes.length === 0
      ? `inputs ${task}: already applied; all ${targets.length} builds hash their dependencies' declarations`
      : [
          `inputs ${task}: ${writes.length} build${writes.length === 1 ? '' : 's'} hash their dependencies' declarations (**/*.d.ts) instead of their sources`,
          ...targets.filter((target) => writes.some((write) => write.path === target.configFile)).map((target) => `  ${target.task}: inputs in ${target.configFile}`),
          `next: nx run-many -t ${task.slice(task.indexOf(':') + 1)} (then an implementation-only change in ${task.slice(0, task.indexOf(':'))} rebuilds it alone)`,
        ].join('\n');
  if (typeof schema.changesFile === 'string') {
    if (!isAbsolute(schema.changesFile)) throw new DecomposeRefusal(`--changesFile must be an absolute path, got ${schema.changesFile}`, [], 'leave --changesFile to sixty apply');
    const changeSet: ChangeSet = writes.length === 0 ? { schemaVersion: 1, applied: true, summary } : { schemaVersion: 1, applied: false, summary, moves: [], writes, links: [] };
    writeFileSync(schema.changesFile, `${JSON.stringify(changeSet)}\n`);
    return undefined;
  }
  for (const write of writes) tree.write(write.path, write.content);
  logger.info(summary);
  return undefined;
}
