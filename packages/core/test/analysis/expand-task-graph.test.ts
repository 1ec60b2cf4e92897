import { describe, expect, it } from 'vitest';
import { expandTaskGraph, isSixtyError, type ExpandTargetConfig, type TaskGraphInput } from '@sixty/core';
import { simpleTargetGlob } from '../../src/analysis/expand-task-graph';

type Targets = Record<string, ExpandTargetConfig>;

/** Projects from name -> targets, in the order given. */
function projects(spec: Record<string, Targets>) {
  return Object.entries(spec).map(([name, targets]) => ({ name, targets }));
}

/** The graph as sorted ids and sorted dependency lists, for exact comparison. */
function shape(graph: TaskGraphInput): { tasks: string[]; dependencies: Record<string, string[]> } {
  return {
    tasks: graph.tasks.map((t) => t.id).sort(),
    dependencies: Object.fromEntries(Object.entries(graph.dependencies).map(([id, deps]) => [id, [...deps].sort()])),
  };
}

const buildWithDeps: ExpandTargetConfig = { dependsOn: ['^build'] };

describe('expandTaskGraph', () => {
  it('expands ^build along a chain, one task per project having the target', () => {
    const graph = expandTaskGraph({
      projects: projects({ app: { build: buildWithDeps }, mid: { build: buildWithDeps }, base: { build: buildWithDeps } }),
      projectDependencies: { app: ['mid'], mid: ['base'], base: [] },
      targets: ['build'],
    });
    expect(shape(graph)).toEqual({
      tasks: ['app:build', 'base:build', 'mid:build'],
      dependencies: { 'app:build': ['mid:build'], 'mid:build': ['base:build'], 'base:build': [] },
    });
    expect(graph.tasks.find((t) => t.id === 'app:build')).toEqual({ id: 'app:build', project: 'app', target: 'build' });
  });

  it('adds same-project dependencies and dependency tasks of targets not asked for', () => {
    const graph = expandTaskGraph({
      projects: projects({
        app: { test: { dependsOn: ['build', '^build'] }, build: {} },
        lib: { build: { dependsOn: ['codegen'] }, codegen: {} },
      }),
      projectDependencies: { app: ['lib'], lib: [] },
      targets: ['test'],
    });
    expect(shape(graph)).toEqual({
      tasks: ['app:build', 'app:test', 'lib:build', 'lib:codegen'],
      dependencies: {
        'app:test': ['app:build', 'lib:build'],
        'app:build': [],
        'lib:build': ['lib:codegen'],
        'lib:codegen': [],
      },
    });
  });

  it('looks through a project lacking the target into its own dependencies', () => {
    const graph = expandTaskGraph({
      projects: projects({
        app: { build: buildWithDeps },
        facade: { test: {} }, // no build: app:build depends on what facade's dependencies build
        core: { build: buildWithDeps },
        util: { build: buildWithDeps },
      }),
      projectDependencies: { app: ['facade'], facade: ['core', 'util'], core: ['util'], util: [] },
      targets: ['build'],
    });
    expect(shape(graph)).toEqual({
      tasks: ['app:build', 'core:build', 'util:build'],
      dependencies: { 'app:build': ['core:build', 'util:build'], 'core:build': ['util:build'], 'util:build': [] },
    });
  });

  it('looks through several projects lacking the target in a row', () => {
    const graph = expandTaskGraph({
      projects: projects({ a: { build: buildWithDeps }, b: {}, c: {}, d: { build: buildWithDeps } }),
      projectDependencies: { a: ['b'], b: ['c'], c: ['d'], d: [] },
      targets: ['build'],
    });
    expect(shape(graph).dependencies).toEqual({ 'a:build': ['d:build'], 'd:build': [] });
  });

  it('only asks projects that have a requested target, each for the targets it has', () => {
    const graph = expandTaskGraph({
      projects: projects({ a: { build: {}, test: {} }, b: { test: {} }, c: { lint: {} } }),
      projectDependencies: {},
      targets: ['build', 'test'],
    });
    expect(shape(graph).tasks).toEqual(['a:build', 'a:test', 'b:test']);
  });

  it('reads the object forms: dependencies, self, named projects, params', () => {
    const graph = expandTaskGraph({
      projects: projects({
        app: {
          deploy: {
            dependsOn: [
              { target: 'build', dependencies: true, params: 'forward' },
              { target: 'build' },
              { target: 'docs', projects: ['tools'] },
              { target: 'lint', projects: 'tools' },
            ],
          },
          build: {},
        },
        lib: { build: {} },
        tools: { docs: {}, lint: {} },
      }),
      projectDependencies: { app: ['lib'], lib: [], tools: [] },
      targets: ['deploy'],
    });
    expect(shape(graph).dependencies['app:deploy']).toEqual(['app:build', 'lib:build', 'tools:docs', 'tools:lint']);
  });

  it("reads nx 22's legacy projects: 'self' | 'dependencies', and refuses them for later nx", () => {
    const input = {
      projects: projects({
        app: { deploy: { dependsOn: [{ target: 'build', projects: 'self' }, { target: 'build', projects: 'dependencies' }] }, build: {} },
        lib: { build: {} },
      }),
      projectDependencies: { app: ['lib'], lib: [] },
      targets: ['deploy'],
    };
    expect(shape(expandTaskGraph(input)).dependencies['app:deploy']).toEqual(['app:build', 'lib:build']);
    expect(() => expandTaskGraph({ ...input, legacyProjectStrings: false })).toThrow(/projects: 'self'/);
  });

  it('reads `project:target` strings naming one project and one of its targets', () => {
    const graph = expandTaskGraph({
      projects: projects({ app: { e2e: { dependsOn: ['api:serve-mock'] } }, api: { 'serve-mock': {} } }),
      projectDependencies: {},
      targets: ['e2e'],
    });
    expect(shape(graph).dependencies['app:e2e']).toEqual(['api:serve-mock']);
  });

  it('expands `*` target globs against every target name of the workspace', () => {
    const graph = expandTaskGraph({
      projects: projects({
        app: { build: { dependsOn: ['gen-*', '^gen-*'] }, 'gen-api': {}, generate: {} },
        lib: { 'gen-docs': {}, 'gen-api': {}, '.gen-hidden': {} },
      }),
      projectDependencies: { app: ['lib'], lib: [] },
      targets: ['build'],
    });
    expect(shape(graph).dependencies['app:build']).toEqual(['app:gen-api', 'lib:gen-api', 'lib:gen-docs']);
  });

  it('names tasks with the default configuration, as nx runs them without --configuration', () => {
    const graph = expandTaskGraph({
      projects: projects({
        app: { build: { dependsOn: ['^build'], defaultConfiguration: 'production', configurations: { production: {}, development: {} } } },
        lib: { build: {} },
      }),
      projectDependencies: { app: ['lib'] },
      targets: ['build'],
    });
    expect(graph.tasks).toEqual([
      { id: 'app:build:production', project: 'app', target: 'build', configuration: 'production' },
      { id: 'lib:build', project: 'lib', target: 'build' },
    ]);
    expect(graph.dependencies).toEqual({ 'app:build:production': ['lib:build'], 'lib:build': [] });
  });

  it('keeps continuous tasks out of the dependencies (nx lists them apart) but in the tasks', () => {
    const graph = expandTaskGraph({
      projects: projects({ app: { e2e: { dependsOn: ['serve', 'build'] }, serve: { continuous: true }, build: {} } }),
      projectDependencies: {},
      targets: ['e2e'],
    });
    expect(shape(graph)).toEqual({
      tasks: ['app:build', 'app:e2e', 'app:serve'],
      dependencies: { 'app:e2e': ['app:build'], 'app:serve': [], 'app:build': [] },
    });
  });

  it('skips dependencies on projects outside the workspace (npm packages)', () => {
    const graph = expandTaskGraph({
      projects: projects({ app: { build: buildWithDeps } }),
      projectDependencies: { app: ['npm:react'] },
      targets: ['build'],
    });
    expect(shape(graph).dependencies).toEqual({ 'app:build': [] });
  });

  it('gives up, as nx does, on a path through a project lacking the target that closes a cycle', () => {
    // a -> b -> a where b has no build: nx drops the edge through b rather than loop
    const graph = expandTaskGraph({
      projects: projects({ a: { build: buildWithDeps }, b: { test: {} } }),
      projectDependencies: { a: ['b'], b: ['a'] },
      targets: ['build'],
    });
    expect(shape(graph).dependencies).toEqual({ 'a:build': [] });
  });

  it('has no edge from a task to itself', () => {
    const graph = expandTaskGraph({
      projects: projects({ a: { build: { dependsOn: ['build', { target: 'build', projects: ['a'] }] } } }),
      projectDependencies: {},
      targets: ['build'],
    });
    expect(graph.dependencies).toEqual({ 'a:build': [] });
  });

  it('reads `projects: ["tag:<tag>"]`: every project whose tags include it (analog-style e2e depending on tagged builds)', () => {
    const graph = expandTaskGraph({
      projects: [
        { name: 'app-e2e', targets: { e2e: { dependsOn: [{ target: 'build', projects: ['tag:type:release'] }] } }, tags: ['type:e2e'] },
        { name: 'router', targets: { build: {} }, tags: ['type:release', 'scope:shared'] },
        { name: 'vite-plugin', targets: { build: {} }, tags: ['type:release'] },
        { name: 'docs', targets: { build: {} }, tags: ['type:docs'] },
      ],
      projectDependencies: { 'app-e2e': [], router: [], 'vite-plugin': [], docs: [] },
      targets: ['e2e'],
    });
    expect(shape(graph)).toEqual({
      tasks: ['app-e2e:e2e', 'router:build', 'vite-plugin:build'],
      dependencies: { 'app-e2e:e2e': ['router:build', 'vite-plugin:build'], 'router:build': [], 'vite-plugin:build': [] },
    });
  });

  it('asks the given matcher (nx\'s own) for every projects pattern, with a copy of the list', () => {
    const asked: string[][] = [];
    const given = ['lib-*', '!lib-b'];
    const graph = expandTaskGraph({
      projects: projects({ app: { deploy: { dependsOn: [{ target: 'build', projects: given }] } }, 'lib-a': { build: {} }, 'lib-b': { build: {} } }),
      projectDependencies: { app: [], 'lib-a': [], 'lib-b': [] },
      targets: ['deploy'],
      matchProjects: (patterns) => {
        asked.push(patterns);
        patterns.unshift('*'); // nx's matcher edits its argument
        return ['lib-a'];
      },
    });
    expect(asked).toEqual([['*', 'lib-*', '!lib-b']]);
    expect(given).toEqual(['lib-*', '!lib-b']);
    expect(graph.dependencies['app:deploy']).toEqual(['lib-a:build']);
  });

  it('is empty when no project has the targets', () => {
    expect(expandTaskGraph({ projects: projects({ a: { build: {} } }), projectDependencies: {}, targets: ['e2e'] })).toEqual({
      tasks: [],
      dependencies: {},
    });
  });

  it.each([
    ['a tag glob', { target: 'build', projects: ['tag:scope:*'] }],
    ['a name glob', { target: 'build', projects: 'lib-*' }],
    ['an unknown project', { target: 'build', projects: ['nope'] }],
    ['an unknown key', { target: 'build', configuration: 'production' }],
    ['no target', { projects: ['lib'] }],
    ['a brace glob', '^{build,compile}'],
    ['a target and configuration string', 'lib:build:production'],
    ['a target string naming no target', 'lib:nope'],
    ['a number', 42],
  ])('throws a SixtyError on %s, so the caller asks nx', (_why, entry) => {
    let thrown: unknown;
    try {
      expandTaskGraph({
        projects: projects({
          app: { deploy: { dependsOn: [entry] } },
          lib: { build: { defaultConfiguration: 'production', configurations: { production: {} } } },
        }),
        projectDependencies: { app: ['lib'] },
        targets: ['deploy'],
      });
    } catch (error) {
      thrown = error;
    }
    expect(isSixtyError(thrown)).toBe(true);
  });
});

describe('simpleTargetGlob', () => {
  it('matches like minimatch for `*` patterns and refuses the rest', () => {
    const glob = simpleTargetGlob('e2e-ci--*')!;
    expect(['e2e-ci--a.spec.ts', 'e2e-ci--', 'e2e-ci--src/a.spec.ts', 'e2e-ci'].map((t) => glob.test(t))).toEqual([true, true, false, false]);
    expect(simpleTargetGlob('*')!.test('.hidden')).toBe(false);
    expect(simpleTargetGlob('*-ci--*/*')!.test('e2e-ci--src/a.ts')).toBe(true);
    expect(simpleTargetGlob('build.*')!.test('buildXfoo')).toBe(false);
    for (const pattern of ['**', 'a/**/b', '{a,b}', 'a?', '!a*', '[ab]*', '+(a)']) expect(simpleTargetGlob(pattern)).toBeNull();
  });
});
