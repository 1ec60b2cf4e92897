// Minimized from angular-eslint (docs/REAL-REPOS.md): in a pnpm workspace each package sees only
// the packages its own package.json declares (linked into <project>/node_modules, never hoisted
// to the root), so a split part builds only once it declares what its moved files import and
// pnpm has linked it. The "third-party" packages here are local folders (`file:` ranges): pnpm
// installs them the same way as registry packages, with nothing downloaded.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFileHashes, type SplitPlan } from '@sixty/core';
import { NX_ENV, REPO_ROOT, SIXTY_BIN, type CommandResult } from './workspace';

const PNPM_BIN = join(REPO_ROOT, 'node_modules/pnpm/bin/pnpm.cjs');

const FILES: Record<string, unknown> = {
  'package.json': { name: 'fx', version: '0.0.0', private: true },
  'pnpm-workspace.yaml': "packages:\n  - 'libs/*'\n",
  'nx.json': { targetDefaults: { build: { dependsOn: ['^build'], cache: false } } },
  '.gitignore': 'node_modules\ndist\n.nx\n',
  'tsconfig.base.json': { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, declaration: true, skipLibCheck: true } },
  // a package with its own types, and one typed by an @types package (as most of npm)
  'vendor/dep-x/package.json': { name: 'dep-x', version: '1.4.0', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } },
  'vendor/dep-x/index.js': 'export const greet = (name) => `hello ${name}`;\n',
  'vendor/dep-x/index.d.ts': 'export declare function greet(name: string): string;\n',
  'vendor/dep-y/package.json': { name: 'dep-y', version: '2.1.0', type: 'module', main: 'index.js' },
  'vendor/dep-y/index.js': 'export const shout = (text) => text.toUpperCase();\n',
  'vendor/types-dep-y/package.json': { name: '@types/dep-y', version: '2.1.0', types: 'index.d.ts' },
  'vendor/types-dep-y/index.d.ts': 'export declare function shout(text: string): string;\n',
  'libs/lib-a/package.json': {
    name: '@fx/lib-a',
    version: '1.0.0',
    type: 'module',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    dependencies: { 'dep-x': 'file:../../vendor/dep-x', 'dep-y': 'file:../../vendor/dep-y' },
    devDependencies: { '@types/dep-y': 'file:../../vendor/types-dep-y' },
    nx: { targets: { build: { command: 'node ../../node_modules/typescript/bin/tsc -p tsconfig.lib.json', options: { cwd: '{projectRoot}' }, outputs: ['{projectRoot}/dist'] } } },
  },
  'libs/lib-a/tsconfig.lib.json': { extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src/**/*.ts'] },
  'libs/lib-a/src/index.ts': "export * from './greeting.js';\nexport * from './loud.js';\nexport * from './banner.js';\n",
  'libs/lib-a/src/greeting.ts': "import { greet } from 'dep-x';\nexport const welcome = (name: string): string => `${greet(name)}!`;\n",
  'libs/lib-a/src/loud.ts': "import { shout } from 'dep-y';\nexport const loud = (text: string): string => shout(text);\n",
  'libs/lib-a/src/banner.ts': "import { welcome } from './greeting.js';\nimport { loud } from './loud.js';\nexport const banner = (name: string): string => loud(welcome(name));\n",
};

const PLAN: SplitPlan = {
  schemaVersion: 1,
  kind: 'split',
  task: '@fx/lib-a:build',
  budgetMs: 60_000,
  rationale: 'minimized reproduction: each moved file imports a third-party package only lib-a declares',
  source: 'local',
  projects: [
    { name: '@fx/lib-a-greeting', root: 'libs/lib-a-greeting', files: ['libs/lib-a/src/greeting.ts'], dependsOn: [], entry: 'libs/lib-a-greeting/src/index.ts', estimatedMs: 1000 },
    { name: '@fx/lib-a-loud', root: 'libs/lib-a-loud', files: ['libs/lib-a/src/loud.ts'], dependsOn: [], entry: 'libs/lib-a-loud/src/index.ts', estimatedMs: 1000 },
  ],
  facade: [
    { from: 'libs/lib-a/src/index.ts', project: '@fx/lib-a-greeting', module: 'libs/lib-a/src/greeting.ts' },
    { from: 'libs/lib-a/src/index.ts', project: '@fx/lib-a-loud', module: 'libs/lib-a/src/loud.ts' },
  ],
  keptFiles: ['libs/lib-a/src/banner.ts', 'libs/lib-a/src/index.ts'],
  keptEstimatedMs: 1000,
};

let parent: string;
let root: string;
let env: NodeJS.ProcessEnv;

function run(command: string, args: string[]): CommandResult {
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
const nx = (...args: string[]): CommandResult => run(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args]);
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
/** What lib-a's built entry gives, run by node (so the parts must resolve at run time too). */
const bannerOutput = (): CommandResult => run(process.execPath, ['--input-type=module', '-e', `import { banner } from '${join(root, 'libs/lib-a/dist/index.js')}'; console.log(banner('ada'));`]);

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'sixty-split-deps-'));
  root = join(parent, 'ws');
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  // pnpm installs from the workspace's folders only: its store in the scratch directory, offline
  writeFileSync(join(root, '.npmrc'), `store-dir=${join(parent, 'store')}\noffline=true\n`);
  writeFileSync(join(root, 'plan.json'), `${JSON.stringify(withFileHashes(PLAN, (file) => readFileSync(join(root, file))), null, 2)}\n`);
  // nx, typescript and @sixty/nx from this repo's install (as tools/synth links them); pnpm leaves links it did not make
  mkdirSync(join(root, 'node_modules'));
  for (const name of ['nx', 'typescript', '@sixty']) symlinkSync(join(REPO_ROOT, 'node_modules', name), join(root, 'node_modules', name));
  mkdirSync(join(parent, 'bin'));
  symlinkSync(PNPM_BIN, join(parent, 'bin', 'pnpm')); // nx asks pnpm for its version in a pnpm workspace
  env = { ...process.env, ...NX_ENV, PATH: `${join(parent, 'bin')}:${process.env.PATH ?? ''}` };
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key === 'CI' || key === 'FORCE_COLOR' || env[key] === undefined) delete env[key];
  const install = run('pnpm', ['install']);
  if (install.code !== 0) throw new Error(`pnpm install failed: ${install.stdout}${install.stderr}`);
});
afterAll(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
});

describe('split parts of a pnpm project get the third-party packages their files import', () => {
  let printedSetup: string[] = [];

  it('before the split: lib-a builds, its packages linked in its own node_modules only', () => {
    expect(existsSync(join(root, 'libs/lib-a/node_modules/dep-x'))).toBe(true);
    expect(existsSync(join(root, 'node_modules/dep-x'))).toBe(false);
    const build = nx('run-many', '-t', 'build');
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(bannerOutput().stdout.trim()).toBe('HELLO ADA!');
  });

  it('applies the split: each part declares what its files import, with lib-a\'s ranges, and the next steps name pnpm install', () => {
    const apply = run(process.execPath, [SIXTY_BIN, 'apply', 'plan.json']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('pnpm install links the new packages and the dependencies each declares, and records them in pnpm-lock.yaml (commit it)');
    const next = /^next: (.*)$/m.exec(apply.stdout)?.[1];
    expect(next).toBe('pnpm install, then nx run-many -t build test');
    printedSetup = (next as string).split(', then ').slice(0, -1);
    expect(readJson('libs/lib-a-greeting/package.json').dependencies).toEqual({ 'dep-x': 'file:../../vendor/dep-x' });
    expect(readJson('libs/lib-a-greeting/package.json').devDependencies).toBeUndefined();
    expect(readJson('libs/lib-a-loud/package.json').dependencies).toEqual({ 'dep-y': 'file:../../vendor/dep-y' });
    expect(readJson('libs/lib-a-loud/package.json').devDependencies).toEqual({ '@types/dep-y': 'file:../../vendor/types-dep-y' });
    expect(readJson('libs/lib-a/package.json').dependencies).toEqual({ '@fx/lib-a-greeting': 'workspace:*', '@fx/lib-a-loud': 'workspace:*', 'dep-x': 'file:../../vendor/dep-x', 'dep-y': 'file:../../vendor/dep-y' });
  });

  it('until pnpm install links them the parts cannot resolve them (the failure seen on angular-eslint)', () => {
    const build = nx('run-many', '-t', 'build', '-p', '@fx/lib-a-greeting');
    expect(build.code).not.toBe(0);
    expect(build.stdout + build.stderr).toContain("Cannot find module 'dep-x'");
  });

  it('after the printed steps every project builds and lib-a gives the same result', () => {
    for (const command of printedSetup) {
      const [program, ...args] = command.split(' ');
      const step = run(program as string, args);
      expect(step.code, `${command}: ${step.stdout}${step.stderr}`).toBe(0);
    }
    expect(existsSync(join(root, 'libs/lib-a-greeting/node_modules/dep-x'))).toBe(true);
    const build = nx('run-many', '-t', 'build');
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Successfully ran target build for 3 projects/);
    expect(bannerOutput().stdout.trim()).toBe('HELLO ADA!');
  });
});
