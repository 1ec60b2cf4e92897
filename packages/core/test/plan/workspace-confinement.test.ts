import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceConfinement, validatePlan, type WorkspaceConfinement } from '@sixty/core';
import { FILES, shardContext, shardPlan, splitContext, splitPlan } from './plan-fixtures';

// The probe's workspace: a committed link leaving it, an installed package that is itself a link
// to another repository, git's and nx's own folders, a link back into .git, a dangling link.
describe('createWorkspaceConfinement on a real disk', () => {
  let base: string;
  let root: string;
  let elsewhere: string;
  let confinement: WorkspaceConfinement;

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'sixty-confine-')));
    root = join(base, 'ws');
    elsewhere = join(base, 'elsewhere');
    const otherRepo = join(base, 'other-repo', 'node_modules', 'esbuild');
    for (const dir of [join(root, 'libs', 'a', 'src'), join(root, '.git', 'objects'), join(root, '.nx', 'cache'), join(root, 'node_modules'), join(root, '.sixty'), elsewhere, otherRepo]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(root, 'libs', 'a', 'src', 'index.ts'), 'export {};\n');
    symlinkSync(elsewhere, join(root, 'linkout'));
    symlinkSync(otherRepo, join(root, 'node_modules', 'esbuild'));
    symlinkSync('../.git', join(root, 'libs', 'into-git'));
    symlinkSync(join(base, 'missing'), join(root, 'dangling'));
    symlinkSync('a', join(root, 'libs', 'alias'));
    confinement = createWorkspaceConfinement({ workspaceRoot: root, protectedDirectories: [{ path: '.sixty', label: 'sixty\'s history directory' }] });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('lets a plan write new folders and files inside the workspace, through links that stay inside', () => {
    expect(confinement.reasonOutside('libs/lib-c-part-1')).toBeUndefined();
    expect(confinement.reasonOutside('libs/lib-c-part-1/src/deep/file.ts')).toBeUndefined();
    expect(confinement.reasonOutside('libs/a/src/index.ts')).toBeUndefined();
    expect(confinement.reasonOutside('libs/alias/src/new.ts')).toBeUndefined();
  });

  it('refuses a root through a committed link that leaves the workspace', () => {
    expect(confinement.reasonOutside('linkout/lib-c-part-1')).toBe(`leads outside the workspace (to ${join(elsewhere, 'lib-c-part-1')}) through a symbolic link`);
    expect(confinement.reasonOutside('linkout')).toMatch(/leads outside the workspace/);
  });

  it('refuses installed packages, git, nx and sixty folders, by name and behind links', () => {
    expect(confinement.reasonOutside('node_modules/esbuild/lib-c-part-1')).toBe('is inside installed packages (node_modules)');
    expect(confinement.reasonOutside('libs/a/node_modules/x/index.js')).toBe('is inside installed packages (node_modules)');
    expect(confinement.reasonOutside('.git/lib-c-part-1')).toBe('is inside git\'s own directory');
    expect(confinement.reasonOutside('libs/into-git/hooks/pre-commit')).toBe('is inside git\'s own directory');
    expect(confinement.reasonOutside('.nx/cache/x')).toBe('is inside nx\'s cache and workspace data (.nx)');
    expect(confinement.reasonOutside('.sixty/runs/x.jsonl')).toBe('is inside sixty\'s history directory');
  });

  it('refuses a dangling link and paths that are not plain relative ones', () => {
    expect(confinement.reasonOutside('dangling/x')).toBe('goes through dangling, a symbolic link that leads nowhere');
    expect(confinement.reasonOutside('../outside/x')).toMatch(/contains "\.\."/);
    expect(confinement.reasonOutside('/etc/passwd')).toMatch(/is absolute/);
  });

  it('makes validatePlan refuse those roots and files, naming each', () => {
    const plan = splitPlan();
    plan.projects[0]!.root = 'linkout/lib-a-x';
    plan.projects[0]!.entry = 'linkout/lib-a-x/src/index.ts';
    plan.projects[1]!.root = 'node_modules/esbuild/lib-a-y';
    plan.projects[1]!.entry = 'node_modules/esbuild/lib-a-y/src/index.ts';
    const problems = validatePlan(plan, { ...splitContext(), confinement }).problems;
    expect(problems).toEqual([
      `part "lib-a-x": root "linkout/lib-a-x" leads outside the workspace (to ${join(elsewhere, 'lib-a-x')}) through a symbolic link`,
      'part "lib-a-y": root "node_modules/esbuild/lib-a-y" is inside installed packages (node_modules)',
    ]);
    const gitPlan = splitPlan();
    gitPlan.projects[0]!.root = '.git/lib-a-x';
    gitPlan.projects[0]!.entry = '.git/lib-a-x/index.ts';
    expect(validatePlan(gitPlan, { ...splitContext(), confinement }).problems).toEqual(['part "lib-a-x": root ".git/lib-a-x" is inside git\'s own directory']);
  });
});

describe('validatePlan: fileHashes and targets', () => {
  it('refuses a fileHashes entry that is not a safe path the plan places', () => {
    const plan = { ...splitPlan(), fileHashes: [{ file: FILES.one, sha256: 'a'.repeat(64) }, { file: 'libs/a/../../../etc/passwd', sha256: 'b'.repeat(64) }, { file: 'libs/b/other.ts', sha256: 'c'.repeat(64) }] };
    expect(validatePlan(plan, splitContext()).problems).toEqual([
      'plan.fileHashes: "libs/a/../../../etc/passwd" contains ".."; it must stay inside the project',
      'plan.fileHashes: "libs/b/other.ts" is not a file the plan places',
    ]);
  });

  it('refuses a shard plan for a target the project does not have, prototype names included', () => {
    for (const target of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const task = `lib-a:${target}`;
      const validation = validatePlan({ ...shardPlan(), task }, { ...shardContext(), task, projectTargets: ['build', 'test'] });
      expect(validation.problems).toEqual([`plan.task: "${task}" names no target of lib-a (it has build, test)`]);
    }
    expect(validatePlan(shardPlan(), { ...shardContext(), projectTargets: ['build', 'test'] }).valid).toBe(true);
  });

  it('reads a target with a colon in its name as sixty plan does (TanStack/query: @tanstack/query-core:test:lib)', () => {
    const task = '@tanstack/query-core:test:lib';
    const context = { ...shardContext(), task, projectTargets: ['build', 'test', 'test:lib', 'test:types'] };
    expect(validatePlan({ ...shardPlan(), task }, context).problems).toEqual([]);
    const missing = '@tanstack/query-core:bench:lib'; // neither a target nor a configuration of one
    expect(validatePlan({ ...shardPlan(), task: missing }, { ...context, task: missing }).problems).toEqual([
      `plan.task: "${missing}" names no target of @tanstack/query-core (it has build, test, test:lib, test:types)`,
    ]);
    const configured = 'lib-a:build:production';
    expect(validatePlan({ ...shardPlan(), task: configured }, { ...shardContext(), task: configured, projectTargets: ['build'] }).problems).toEqual([]);
  });
});
