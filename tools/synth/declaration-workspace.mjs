// A workspace of TypeScript libraries built by tsc with declarations: the ground for the
// `inputs` plan kind (declaration-only build inputs). One library, `core`, and N libraries that
// import it through its built declarations (tsconfig paths to libs/core/dist), each built with
// `tsc -p` into its own declared dist/. Deterministic; node_modules linked from this repo.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { initAndCommit, linkRepoPackages, NX_PACKAGES } from './synth.mjs';

const json = (value) => JSON.stringify(value, null, 2) + '\n';

function write(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const CORE_SOURCE = `export interface Greeting {
  text: string;
  length: number;
}

export function greet(name: string): Greeting {
  const text = \`hello, \${name}\`;
  return { text, length: text.length };
}
`;

function dependentSource(index) {
  return `import { greet, type Greeting } from '@decl/core';

export function welcome${index}(): Greeting {
  return greet('user ${index}');
}
`;
}

function libraryFiles(out, name, root, dependsOn) {
  write(
    join(out, root, 'project.json'),
    json({
      name,
      sourceRoot: `${root}/src`,
      projectType: 'library',
      implicitDependencies: dependsOn,
      targets: { build: { executor: 'nx:run-commands', options: { command: `tsc -p ${root}/tsconfig.lib.json` } } },
    }),
  );
  write(
    join(out, root, 'tsconfig.lib.json'),
    json({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src/**/*.ts'] }),
  );
}

/**
 * Writes the workspace. Options: out (new or empty directory), dependents (default 10), nx
 * ("workspace" | "latest"), budgetSeconds (60), git (true: init and commit), init (true:
 * register the sixty plugin). Returns the project names: core first.
 */
export function generateDeclarationWorkspace(options) {
  const settings = { dependents: 10, nx: 'workspace', budgetSeconds: 60, git: true, init: true, ...options };
  if (!settings.out) throw new Error('out is required: the directory to write the workspace into');
  if (!NX_PACKAGES[settings.nx]) throw new Error('nx must be "workspace" (22.x) or "latest" (24.x)');
  const out = resolve(settings.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out} is not empty: pass a new or empty directory`);
  const dependents = Array.from({ length: settings.dependents }, (_, i) => `dep-${String(i + 1).padStart(2, '0')}`);

  write(join(out, 'package.json'), json({ name: 'declarations-fixture', version: '0.0.0', private: true }));
  write(
    join(out, 'nx.json'),
    json({
      $schema: './node_modules/nx/schemas/nx-schema.json',
      namedInputs: { default: ['{projectRoot}/**/*'], production: ['default', '!{projectRoot}/dist/**/*'] },
      targetDefaults: {
        build: { cache: true, dependsOn: ['^build'], inputs: ['production', '^production'], outputs: ['{projectRoot}/dist'] },
      },
      parallel: 3,
    }),
  );
  write(
    join(out, 'tsconfig.base.json'),
    json({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'ES2022',
        moduleResolution: 'Bundler',
        strict: true,
        declaration: true,
        skipLibCheck: true,
        types: [],
        baseUrl: '.',
        // dependents compile against core's built declarations, never its sources
        paths: { '@decl/core': ['libs/core/dist/index.d.ts'] },
      },
    }),
  );
  write(join(out, '.gitignore'), 'node_modules\ndist\n.nx\n');
  libraryFiles(out, 'core', 'libs/core', []);
  write(join(out, 'libs/core/src/index.ts'), CORE_SOURCE);
  dependents.forEach((name, i) => {
    libraryFiles(out, name, `libs/${name}`, ['core']);
    write(join(out, `libs/${name}/src/index.ts`), dependentSource(i + 1));
  });

  linkRepoPackages(out, NX_PACKAGES[settings.nx]);
  initAndCommit(out, settings, 'declaration workspace');
  return { out, projects: ['core', ...dependents] };
}
