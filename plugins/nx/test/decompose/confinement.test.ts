// The probe's hostile roots, on a real disk: a committed link leaving the workspace, an installed
// package that links into another repository, git's own folder. Each is refused, nothing written.
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logger, type Tree } from '@nx/devkit';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkspaceConfinement, type SplitPlan } from '@sixty/core';
import { changePathProblems } from '../../src/generators/decompose/confined-changes';
import { DecomposeRefusal } from '../../src/generators/decompose/decompose-refusal';
import decomposeGenerator from '../../src/generators/decompose/generator';
import { createFixtureTree, fixturePlan, writePlan } from './fixture-workspace';

let base: string;
let root: string;
let elsewhere: string;
let otherRepoPackage: string;
let info: ReturnType<typeof vi.spyOn>;

/** Every file under a directory, relative to it (links not followed). */
function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

beforeEach(() => {
  const initCwd = process.env.INIT_CWD;
  base = realpathSync(mkdtempSync(join(tmpdir(), 'sixty-decompose-confine-')));
  root = join(base, 'ws');
  elsewhere = join(base, 'elsewhere');
  otherRepoPackage = join(base, 'other-repo', 'node_modules', 'esbuild');
  for (const dir of [root, elsewhere, otherRepoPackage, join(root, '.git'), join(root, 'node_modules')]) mkdirSync(dir, { recursive: true });
  const memory = createFixtureTree();
  if (initCwd === undefined) delete process.env.INIT_CWD;
  else process.env.INIT_CWD = initCwd;
  flushChanges(root, memory.listChanges());
  symlinkSync(elsewhere, join(root, 'linkout'));
  symlinkSync(otherRepoPackage, join(root, 'node_modules', 'esbuild'));
  info = vi.spyOn(logger, 'info').mockImplementation(() => {});
});
afterEach(() => {
  info.mockRestore();
  rmSync(base, { recursive: true, force: true });
});

/** The fixture's plan with lib-c-parse rooted at `newRoot`. */
function planRootedAt(tree: Tree, newRoot: string): SplitPlan {
  return fixturePlan(tree, (plan) => {
    plan.projects[0]!.root = newRoot;
    plan.projects[0]!.entry = `${newRoot}/src/index.ts`;
  });
}

async function refusalOf(tree: Tree, plan: SplitPlan): Promise<DecomposeRefusal> {
  const path = writePlan(tree, plan);
  const error = await decomposeGenerator(tree, { plan: path }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DecomposeRefusal);
  return error as DecomposeRefusal;
}

describe('decompose generator: confinement on a real disk', () => {
  it.each([
    ['linkout/lib-c-parse', /root "linkout\/lib-c-parse" leads outside the workspace \(to .*elsewhere\/lib-c-parse\) through a symbolic link/],
    ['node_modules/esbuild/lib-c-parse', /root "node_modules\/esbuild\/lib-c-parse" is inside installed packages \(node_modules\)/],
    ['.git/lib-c-parse', /root "\.git\/lib-c-parse" is inside git's own directory/],
    ['.nx/lib-c-parse', /root "\.nx\/lib-c-parse" is inside nx's cache and workspace data \(\.nx\)/],
    ['.sixty/lib-c-parse', /root "\.sixty\/lib-c-parse" is inside sixty's history directory/],
  ])('refuses the root %s and writes nothing anywhere', async (newRoot, reason) => {
    const tree = new FsTree(root, false);
    const plan = planRootedAt(tree, newRoot);
    const before = filesUnder(root);
    const refusal = await refusalOf(tree, plan);
    expect(refusal.problems.some((problem) => reason.test(problem)), refusal.problems.join('\n')).toBe(true);
    // The refusal throws before nx would flush: the Tree holds only the plan file we wrote.
    expect(tree.listChanges().map((change) => change.path)).toEqual(['plan.json']);
    flushChanges(root, tree.listChanges());
    expect(filesUnder(root)).toEqual([...before, 'plan.json'].sort());
    expect(filesUnder(elsewhere)).toEqual([]);
    expect(filesUnder(otherRepoPackage)).toEqual([]);
  });

  it('applies the same plan at a root inside the workspace', async () => {
    const tree = new FsTree(root, false);
    await decomposeGenerator(tree, { plan: writePlan(tree, planRootedAt(tree, 'libs/lib-c-parse')) });
    expect(tree.exists('libs/lib-c-parse/src/lib/parse.ts')).toBe(true);
  });

  it('checks the exact paths again at write time (a link made after the check is seen)', () => {
    const confinement = createWorkspaceConfinement({ workspaceRoot: root });
    const changes = {
      moves: [{ from: 'libs/lib-c/src/lib/parse.ts', to: 'linkout/lib-c-parse/src/lib/parse.ts', content: '' }],
      writes: [{ path: 'node_modules/esbuild/index.js', content: '' }, { path: 'libs/lib-c-parse/project.json', content: '{}' }],
      links: [{ link: 'node_modules/lib-c-parse', target: '.git/x' }],
    };
    expect(changePathProblems(changes, confinement)).toEqual([
      `write "linkout/lib-c-parse/src/lib/parse.ts": leads outside the workspace (to ${join(elsewhere, 'lib-c-parse/src/lib/parse.ts')}) through a symbolic link`,
      'write "node_modules/esbuild/index.js": is inside installed packages (node_modules)',
      'link to ".git/x": is inside git\'s own directory',
    ]);
  });
});
