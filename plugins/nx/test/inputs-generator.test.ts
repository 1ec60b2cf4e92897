import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARATION_OUTPUTS_INPUT, type InputsPlan } from '@sixty/core';
import inputsGenerator from '../src/generators/inputs/generator';

let tree: Tree;
let initCwd: string | undefined;

const PROJECT_JSON = `{
  // comments stay
  "name": "app",
  "targets": { "build": { "command": "tsc -p libs/app/tsconfig.lib.json" } }
}
`;

const plan: InputsPlan = {
  schemaVersion: 1,
  kind: 'inputs',
  task: 'core:build',
  budgetMs: 60_000,
  rationale: 'r',
  source: 'local',
  targets: [{ task: 'app:build', configFile: 'libs/app/project.json', inputsBefore: ['production', '^production'], inputs: ['production', { ...DECLARATION_OUTPUTS_INPUT }] }],
  refused: [],
  verification: { change: 'appended "void 0;" to libs/core/src/index.ts', rebuilt: ['core:build'], cached: ['app:build'], comparedFiles: 4, differentFiles: [], identical: true },
};

beforeEach(() => {
  initCwd = process.env.INIT_CWD;
  tree = createTreeWithEmptyWorkspace();
  tree.write('libs/core/project.json', JSON.stringify({ name: 'core', targets: { build: { command: 'tsc -p libs/core/tsconfig.lib.json' } } }));
  tree.write('libs/app/project.json', PROJECT_JSON);
});
afterEach(() => {
  if (initCwd === undefined) delete process.env.INIT_CWD;
  else process.env.INIT_CWD = initCwd;
});

describe('inputs generator', () => {
  it('sets the planned inputs in project.json, comments kept; an applied plan changes nothing', async () => {
    tree.write('plan.json', JSON.stringify(plan));
    await inputsGenerator(tree, { plan: 'plan.json' });
    const written = tree.read('libs/app/project.json', 'utf-8')!;
    expect(written).toContain('// comments stay');
    expect(JSON.parse(written.replace(/^\s*\/\/.*$/m, '')).targets.build).toEqual({ command: 'tsc -p libs/app/tsconfig.lib.json', inputs: ['production', DECLARATION_OUTPUTS_INPUT] });
    await inputsGenerator(tree, { plan: 'plan.json' });
    expect(tree.read('libs/app/project.json', 'utf-8')).toBe(written);
  });

  it('refuses an unverified plan, with nothing written', async () => {
    tree.write('plan.json', JSON.stringify({ ...plan, verification: { ...plan.verification!, identical: false, differentFiles: ['libs/app/dist/index.js'] } }));
    await expect(inputsGenerator(tree, { plan: 'plan.json' })).rejects.toThrow(/not a valid inputs plan for this workspace\n {2}- plan.verification: after appended "void 0;" to libs\/core\/src\/index.ts, the builds with the new inputs left 1 output file\(s\) different/);
    expect(tree.read('libs/app/project.json', 'utf-8')).toBe(PROJECT_JSON);
  });

  it('writes the change set for sixty apply instead of the Tree', async () => {
    tree.write('plan.json', JSON.stringify(plan));
    const dir = mkdtempSync(join(tmpdir(), 'sixty-inputs-test-'));
    try {
      await inputsGenerator(tree, { plan: 'plan.json', changesFile: join(dir, 'changes.json') });
      const changeSet = JSON.parse(readFileSync(join(dir, 'changes.json'), 'utf8'));
      expect(changeSet.applied).toBe(false);
      expect(changeSet.writes.map((write: { path: string }) => write.path)).toEqual(['libs/app/project.json']);
      expect(tree.read('libs/app/project.json', 'utf-8')).toBe(PROJECT_JSON);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
