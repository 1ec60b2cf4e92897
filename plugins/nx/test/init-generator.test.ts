import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SixtyError } from '@sixty/core';
import initGenerator from '../src/generators/init/generator';

let tree: Tree;
let initCwd: string | undefined;

beforeEach(() => {
  initCwd = process.env.INIT_CWD;
  tree = createTreeWithEmptyWorkspace(); // sets INIT_CWD
});
afterEach(() => {
  if (initCwd === undefined) delete process.env.INIT_CWD;
  else process.env.INIT_CWD = initCwd;
});

const sixtyEntries = (): unknown[] =>
  (readNxJson(tree)?.plugins ?? []).filter((entry) => (typeof entry === 'string' ? entry : entry.plugin) === '@sixty/nx');

describe('init generator', () => {
  it('registers the plugin once and ignores .sixty/, however often it runs', async () => {
    await initGenerator(tree, {});
    const nxJsonAfterFirst = tree.read('nx.json', 'utf-8');
    await initGenerator(tree, {});

    expect(sixtyEntries()).toEqual([{ plugin: '@sixty/nx', options: { budgetSeconds: 60 } }]);
    expect(tree.read('nx.json', 'utf-8')).toBe(nxJsonAfterFirst);
    expect(tree.read('.gitignore', 'utf-8')).toBe('.sixty/\n');
  });

  it('keeps the rest of nx.json', async () => {
    const before = readNxJson(tree)!;
    await initGenerator(tree, {});
    const { plugins, ...rest } = readNxJson(tree)!;
    expect(rest).toEqual(before);
    expect(plugins).toHaveLength(1);
  });

  it('adds to an existing .gitignore and existing plugins', async () => {
    tree.write('.gitignore', 'node_modules\ndist');
    tree.write('nx.json', JSON.stringify({ plugins: ['@nx/js'] }, null, 2));
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\ndist\n.sixty/\n');
    expect(readNxJson(tree)?.plugins).toEqual(['@nx/js', { plugin: '@sixty/nx', options: { budgetSeconds: 60 } }]);
  });

  it('does not add .sixty again when .gitignore already has it in another form', async () => {
    tree.write('.gitignore', '/.sixty\n');
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')).toBe('/.sixty\n');
  });

  it('writes the budget and a custom history directory', async () => {
    await initGenerator(tree, { budgetSeconds: 90, historyDir: 'tmp/sixty' });
    expect(sixtyEntries()).toEqual([{ plugin: '@sixty/nx', options: { budgetSeconds: 90, historyDir: 'tmp/sixty' } }]);
    expect(tree.read('.gitignore', 'utf-8')).toBe('tmp/sixty/\n');
  });

  it('fails with NOT_A_WORKSPACE when there is no nx.json', async () => {
    tree.delete('nx.json');
    const error = await initGenerator(tree, {}).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SixtyError);
    expect(error).toMatchObject({ code: 'NOT_A_WORKSPACE' });
    expect(tree.exists('.gitignore')).toBe(false);
  });

  it('has schema defaults that match the generator defaults', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../src/generators/init/schema.json'), 'utf8')) as {
      properties: Record<string, { default: unknown }>;
    };
    expect(Object.fromEntries(Object.entries(schema.properties).map(([name, p]) => [name, p.default]))).toEqual({
      budgetSeconds: 60,
      historyDir: '.sixty',
    });
  });
});
