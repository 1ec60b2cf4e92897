// The task graph sixty computes from nx's cached project graph (readTaskGraphFast, core's
// expandTaskGraph) is the one nx itself computes: checked against the real nx CLI on synthetic
// workspaces, and in-process against nx's own createTaskGraph on random project graphs, for
// the pinned nx 22 and the newest major (24).
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandTaskGraph, type ExpandTargetConfig } from '../../packages/core/src/analysis/expand-task-graph';
import { readNxGraphs, readNxGraphsFromNx, readTaskGraphFast, type NxGraphs } from '../../packages/cli/src/nx/task-graph';
import { createWorkspace, nx, NX_ENV, REPO_ROOT, type SynthWorkspace } from './workspace';

const NX_VERSIONS = [
  { nx: 'workspace' as const, label: 'nx 22', major: 22, module: 'nx' },
  { nx: 'latest' as const, label: 'nx 24', major: 24, module: 'nx-latest' },
];

/** The environment nx runs in here; no inherited workspace-data location. */
function nxEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV };
  for (const key of ['NX_SKIP_NX_CACHE', 'NX_WORKSPACE_DATA_DIRECTORY', 'NX_PROJECT_GRAPH_CACHE_DIRECTORY', 'CI']) delete env[key];
  return env;
}

/** A graph as sorted task ids and sorted dependency sets, projects and project edges. */
function canonical(graphs: Pick<NxGraphs, 'taskGraph'> & Partial<NxGraphs>) {
  const sortedRecord = (record: Record<string, string[]>) =>
    Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, [...new Set(record[key])].sort()]),
    );
  return {
    tasks: graphs.taskGraph.tasks.map((t) => `${t.id} ${t.project} ${t.target} ${t.configuration ?? ''}`).sort(),
    dependencies: sortedRecord(graphs.taskGraph.dependencies),
    ...(graphs.projectDependencies ? { projectDependencies: sortedRecord(graphs.projectDependencies) } : {}),
    ...(graphs.projects ? { projects: graphs.projects } : {}),
  };
}

const cacheFile = (root: string) => join(root, '.nx', 'workspace-data', 'project-graph.json');

function readJson(path: string): Record<string, any> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Gives a synthetic workspace every dependsOn form the fast path reads: object forms in
 * targetDefaults, a library without build in the middle of build chains, `*` target globs,
 * a default configuration, a continuous target, named projects and `project:target` strings.
 */
function enrich(ws: SynthWorkspace): void {
  const libs = ws.projects.filter((p) => p.kind === 'lib');
  const apps = ws.projects.filter((p) => p.kind === 'app');
  const dependents = (name: string) => ws.projects.filter((p) => p.dependsOn.includes(name)).length;
  const middle = libs.filter((p) => p.dependsOn.length > 0).sort((a, b) => dependents(b.name) - dependents(a.name))[0]!;
  const nxJson = readJson(join(ws.root, 'nx.json'));
  nxJson.targetDefaults.build.dependsOn = [{ target: 'build', dependencies: true, params: 'forward' }, 'codegen-*'];
  nxJson.targetDefaults.test.dependsOn = [{ target: 'build' }];
  nxJson.targetDefaults.lint = { dependsOn: ['^lint'] };
  writeJson(join(ws.root, 'nx.json'), nxJson);
  const edit = (project: { root: string }, change: (targets: Record<string, any>) => void) => {
    const path = join(ws.root, project.root, 'project.json');
    const config = readJson(path);
    change(config.targets);
    writeJson(path, config);
  };
  const echo = (text: string) => ({ command: `echo ${text}` });
  libs.forEach((lib, i) =>
    edit(lib, (targets) => {
      if (lib === middle) delete targets.build;
      if (i % 3 !== 1) targets.lint = echo('lint');
      if (i % 4 === 0) targets['codegen-api'] = echo('api');
      if (i % 5 === 0) targets['codegen-docs'] = echo('docs');
      if (i === 2) {
        targets.build.configurations = { production: {}, development: {} };
        targets.build.defaultConfiguration = 'production';
      }
    }),
  );
  apps.forEach((app, i) =>
    edit(app, (targets) => {
      targets.serve = { ...echo('serve'), continuous: true };
      targets.e2e = {
        ...echo('e2e'),
        dependsOn: ['serve', '^lint', { target: 'build', projects: [libs[i % libs.length]!.name] }, `${libs[0]!.name}:lint`],
      };
    }),
  );
}

describe.each(NX_VERSIONS)('the task graph from the cached project graph ($label)', ({ nx: nxVersion, major }) => {
  let ws: SynthWorkspace;
  let rich: SynthWorkspace;
  const env = nxEnv();

  beforeAll(() => {
    ws = createWorkspace({ projects: 30, files: 2, seed: 5, nx: nxVersion, git: false });
    rich = createWorkspace({ projects: 30, files: 2, seed: 8, nx: nxVersion, git: false });
    enrich(rich);
    for (const root of [ws.root, rich.root]) {
      const shown = nx(root, ['show', 'projects']);
      expect(shown.code, shown.stderr).toBe(0);
      expect(existsSync(cacheFile(root))).toBe(true);
    }
    expect(nx(ws.root, ['--version']).stdout).toContain(`Local: v${major}.`);
  });

  afterAll(() => {
    ws?.remove();
    rich?.remove();
  });

  it('equals nx run-many -t build,test --graph on a synthetic workspace (^build via targetDefaults)', () => {
    const fast = readTaskGraphFast(ws.root, ['build', 'test'], env);
    expect(fast).not.toBeNull();
    const fromNx = readNxGraphsFromNx(ws.root, ['build', 'test'], env);
    expect(fromNx.taskGraph.tasks).toHaveLength(60);
    expect(Object.values(fromNx.taskGraph.dependencies).flat().length).toBeGreaterThan(10);
    expect(canonical(fast!)).toEqual(canonical(fromNx));
  });

  it.each([[['build', 'test']], [['e2e']], [['lint', 'e2e', 'build']], [['test']]])(
    'equals nx on a workspace using every dependsOn form, -t %j',
    (targets) => {
      const fast = readTaskGraphFast(rich.root, targets, env);
      expect(fast).not.toBeNull();
      const fromNx = readNxGraphsFromNx(rich.root, targets, env);
      expect(fromNx.taskGraph.tasks.length).toBeGreaterThan(0);
      expect(canonical(fast!)).toEqual(canonical(fromNx));
    },
  );

  it('meets every form in the enriched workspace (so the comparisons above cover them)', () => {
    const graph = readTaskGraphFast(rich.root, ['build', 'test', 'e2e'], env)!;
    const ids = graph.taskGraph.tasks.map((t) => t.id);
    const edges = Object.entries(graph.taskGraph.dependencies).flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`));
    expect(ids.some((id) => id.endsWith(':build:production'))).toBe(true); // defaultConfiguration
    expect(edges.some((edge) => edge.endsWith(':codegen-api'))).toBe(true); // 'codegen-*'
    expect(ids.some((id) => id.endsWith(':serve'))).toBe(true); // continuous: a task, never an edge
    expect(edges.some((edge) => edge.endsWith(':serve'))).toBe(false);
    expect(edges.some((edge) => /:e2e -> lib-[a-z]+:lint$/.test(edge))).toBe(true); // ^lint and project:target
    const libs = rich.projects.filter((p) => p.kind === 'lib');
    const withoutBuild = libs.filter((lib) => !ids.includes(`${lib.name}:build`) && !ids.includes(`${lib.name}:build:production`));
    expect(withoutBuild).toHaveLength(1);
    // its dependents' builds depend on the builds of its own dependencies, through it
    const middle = withoutBuild[0]!;
    const dependent = rich.projects.find((p) => p.dependsOn.includes(middle.name))!;
    const dependentBuild = ids.find((id) => id.startsWith(`${dependent.name}:build`))!;
    for (const dep of middle.dependsOn) {
      expect(graph.taskGraph.dependencies[dependentBuild]!.some((id) => id.startsWith(`${dep}:build`))).toBe(true);
    }
  });

  it('falls back to nx when the cache is missing or older than nx.json or a project.json', () => {
    const expected = canonical(readNxGraphsFromNx(ws.root, ['build', 'test'], env));

    rmSync(cacheFile(ws.root));
    expect(readTaskGraphFast(ws.root, ['build', 'test'], env)).toBeNull();
    expect(canonical(readNxGraphs(ws.root, ['build', 'test'], env))).toEqual(expected);
    // nx rewrote its cache while answering: the next read is fast again
    expect(readTaskGraphFast(ws.root, ['build', 'test'], env)).not.toBeNull();

    const later = new Date(Date.now() + 60_000);
    const projectJson = join(ws.root, ws.projects[3]!.root, 'project.json');
    utimesSync(projectJson, later, later);
    expect(readTaskGraphFast(ws.root, ['build', 'test'], env)).toBeNull();
    expect(canonical(readNxGraphs(ws.root, ['build', 'test'], env))).toEqual(expected);

    utimesSync(join(ws.root, 'nx.json'), later, later);
    expect(readTaskGraphFast(ws.root, ['build', 'test'], env)).toBeNull();
    expect(canonical(readNxGraphs(ws.root, ['build', 'test'], env))).toEqual(expected);

    const earlier = new Date(Date.now() - 60_000);
    for (const path of [projectJson, join(ws.root, 'nx.json')]) utimesSync(path, earlier, earlier);
    expect(readTaskGraphFast(ws.root, ['build', 'test'], env)).not.toBeNull();
  });

  it('reads every dependsOn projects pattern as nx does: tags, tag and name globs, directories, exclusions', () => {
    const path = join(ws.root, 'nx.json');
    const nxJson = readJson(path);
    const libBuilds = ws.projects.filter((p) => p.kind === 'lib').map((p) => `${p.name}:build`);
    nxJson.targetDefaults.test.dependsOn = [{ target: 'build', projects: ['tag:type:lib'] }];
    writeJson(path, nxJson);
    expect(nx(ws.root, ['show', 'projects']).code).toBe(0);
    const fast = readTaskGraphFast(ws.root, ['test'], env);
    expect(fast).not.toBeNull();
    expect(canonical(fast!)).toEqual(canonical(readNxGraphsFromNx(ws.root, ['test'], env)));
    expect([...fast!.taskGraph.dependencies[`${ws.projects[0]!.name}:test`]!].sort()).toEqual([...libBuilds].sort());

    // tag globs, name globs, directories and exclusions: nx's own matcher, still no nx process
    for (const projects of [['tag:type:*'], ['lib-*', '!lib-a'], ['!tag:type:app'], ['libs/*']]) {
      nxJson.targetDefaults.test.dependsOn = [{ target: 'build', projects }];
      writeJson(path, nxJson);
      expect(nx(ws.root, ['show', 'projects']).code).toBe(0);
      const read = readTaskGraphFast(ws.root, ['test'], env);
      expect(read, JSON.stringify(projects)).not.toBeNull();
      expect(canonical(read!), JSON.stringify(projects)).toEqual(canonical(readNxGraphsFromNx(ws.root, ['test'], env)));
    }
  });
});

// ---- in-process: expandTaskGraph against nx's own createTaskGraph on random project graphs ----

type CreateTaskGraph = (
  graph: unknown,
  extraTargetDependencies: object,
  projectNames: string[],
  targets: string[],
  configuration: undefined,
  overrides: object,
) => { tasks: Record<string, unknown>; dependencies: Record<string, Array<string | { id: string }>> };

const repoRequire = createRequire(join(REPO_ROOT, 'package.json'));

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const TARGETS = ['build', 'test', 'lint', 'gen-a', 'gen-b', 'e2e'];

interface RandomWorkspace {
  projects: Array<{ name: string; targets: Record<string, ExpandTargetConfig & { executor: string }> }>;
  dependencies: Record<string, string[]>;
  targets: string[];
}

/** Projects with random targets and dependsOn of every supported form; cycles when asked. */
function randomWorkspace(seed: number, cycles: boolean, legacy: boolean): RandomWorkspace {
  const r = random(seed);
  const names = Array.from({ length: 2 + Math.floor(r() * 9) }, (_, i) => `p${i}`);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const dependencies: Record<string, string[]> = {};
  names.forEach((name, i) => {
    dependencies[name] = names.filter((_, j) => j !== i && (cycles ? r() < 0.25 : j > i && r() < 0.35));
    if (r() < 0.2) dependencies[name]!.push('npm:left-pad');
  });
  const entry = (): unknown => {
    const target = pick(TARGETS);
    const k = r();
    if (k < 0.3) return `^${target}`;
    if (k < 0.5) return target;
    if (k < 0.57) return { target, dependencies: true };
    if (k < 0.63) return { target, params: 'forward' };
    if (k < 0.7) return { target, projects: [pick(names)] };
    if (k < 0.74) return { target, projects: '*' };
    if (k < 0.78) return legacy ? { target, projects: pick(['self', 'dependencies']) } : `^${target}`;
    if (k < 0.82) return '^gen-*';
    if (k < 0.85) return 'gen-*';
    if (k < 0.9) return `${pick(names)}:${target}`; // a string naming no target throws: skipped below
    return `^${target}`;
  };
  const projects = names.map((name) => {
    const targets: RandomWorkspace['projects'][number]['targets'] = {};
    for (const target of TARGETS) {
      if (r() >= 0.55) continue;
      const dependsOn = Array.from({ length: Math.floor(r() * 3) }, entry);
      targets[target] = { executor: 'nx:noop', ...(dependsOn.length || r() < 0.5 ? { dependsOn } : {}) };
      if (r() < 0.15) Object.assign(targets[target]!, { defaultConfiguration: 'production', configurations: { production: {} } });
      if (r() < 0.1) targets[target]!.continuous = true;
    }
    return { name, targets };
  });
  const targets = TARGETS.filter(() => r() < 0.4);
  return { projects, dependencies, targets: targets.length ? targets : ['build'] };
}

describe.each(NX_VERSIONS)("expandTaskGraph against $label's createTaskGraph", ({ module, major }) => {
  const createTaskGraph = (repoRequire(`${module}/src/tasks-runner/create-task-graph`) as { createTaskGraph: CreateTaskGraph })
    .createTaskGraph;

  it.each([
    ['acyclic project graphs', false],
    ['project graphs with cycles', true],
  ])('gives the same tasks and edges on 400 random %s', (_label, cycles) => {
    let compared = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const ws = randomWorkspace(seed * 7 + (cycles ? 1 : 0), cycles, major <= 22);
      const nodes = Object.fromEntries(
        ws.projects.map((p) => [p.name, { name: p.name, type: 'lib', data: { root: `libs/${p.name}`, targets: structuredClone(p.targets) } }]),
      );
      const edges = Object.fromEntries(
        Object.entries(ws.dependencies).map(([source, targets]) => [source, targets.map((target) => ({ source, target, type: 'static' }))]),
      );
      let ours: ReturnType<typeof expandTaskGraph>;
      try {
        ours = expandTaskGraph({
          projects: ws.projects,
          projectDependencies: Object.fromEntries(Object.entries(ws.dependencies).map(([p, ds]) => [p, ds.filter((d) => !d.startsWith('npm:'))])),
          targets: ws.targets,
          legacyProjectStrings: major <= 22,
        });
      } catch (error) {
        // only the forms handed back to nx may throw
        expect((error as Error).message).toMatch(/cannot compute the task graph without nx/);
        continue;
      }
      const projectNames = ws.projects.filter((p) => ws.targets.some((t) => p.targets[t])).map((p) => p.name);
      const theirs = createTaskGraph({ nodes, dependencies: edges, externalNodes: {} }, {}, projectNames, ws.targets, undefined, {});
      const theirDependencies = Object.fromEntries(
        Object.entries(theirs.dependencies).map(([id, ds]) => [id, ds.map((d) => (typeof d === 'string' ? d : d.id))]),
      );
      const expected = {
        tasks: Object.keys(theirs.tasks).sort(),
        dependencies: canonical({ taskGraph: { tasks: [], dependencies: theirDependencies } }).dependencies,
      };
      expect({ seed, tasks: ours.tasks.map((t) => t.id).sort(), dependencies: canonical({ taskGraph: ours }).dependencies }).toEqual({
        seed,
        ...expected,
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });
});
