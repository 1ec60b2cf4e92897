import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Tree } from 'nx/src/devkit-exports';
import { parsePlanDocument, type SplitPlan } from '@sixty/core';
import { DecomposeRefusal } from './decompose-refusal';

/** Where the plan was found, and the plan. */
export interface PlanFile {
  /** As shown in messages: workspace-relative when inside the workspace. */
  shownPath: string;
  plan: SplitPlan;
}

/**
 * Reads a split plan: a path relative to the workspace root (read through the Tree), else relative
 * to the current directory or absolute (read from the disk: the plan is input, never written).
 * Refuses a file that is missing, not JSON, not a Plan, or a shard plan.
 */
export function readPlanFile(tree: Tree, path: string): PlanFile {
  const { shownPath, text } = readPlanText(tree, path, 'sixty plan <project>:<target> --kind split');
  const parsed = parsePlanDocument(text);
  if (!parsed.ok) {
    throw new DecomposeRefusal(`cannot apply ${shownPath}: it is not a valid plan`, parsed.problems, 'make a new one with sixty plan <project>:<target> --kind split');
  }
  if (parsed.plan.kind !== 'split') {
    throw new DecomposeRefusal(
      `cannot apply ${shownPath}: it is a shard plan; this generator applies split plans`,
      [],
      'apply a shard plan with sixty apply (it writes the shard list to the baseline)',
    );
  }
  return { shownPath, plan: parsed.plan };
}

/**
 * A plan's text: a path relative to the workspace root (read through the Tree), else relative to
 * the current directory or absolute (read from the disk). `writtenBy` names the command in the fix.
 */
export function readPlanText(tree: Tree, path: string, writtenBy: string): { shownPath: string; text: string } {
  let text: string | undefined;
  let shownPath = path;
  if (!isAbsolute(path) && tree.exists(path) && tree.isFile(path)) {
    text = tree.read(path, 'utf-8') ?? undefined;
  } else {
    const absolute = resolve(process.cwd(), path);
    const inside = relative(tree.root, absolute);
    if (!inside.startsWith('..') && !isAbsolute(inside) && tree.exists(inside) && tree.isFile(inside)) {
      shownPath = inside;
      text = tree.read(inside, 'utf-8') ?? undefined;
    } else if (existsSync(absolute)) {
      text = readFileSync(absolute, 'utf8');
    }
  }
  if (text === undefined) {
    throw new DecomposeRefusal(`cannot read the plan ${path}: no such file`, [], `pass --plan=<file> relative to the workspace root (${writtenBy} writes one)`);
  }
  return { shownPath, text };
}
