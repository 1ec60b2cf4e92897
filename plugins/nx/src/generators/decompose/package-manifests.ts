import { isTestTarget } from './project-configuration';
import type { RootAdapter } from './root-adapter';

type Json = Record<string, unknown>;
const DEPENDENCY_SECTIONS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const;
type DependencySection = (typeof DEPENDENCY_SECTIONS)[number];

/** How this workspace's package.json files name a dependency on another workspace package. */
export function workspaceDependencySpec(manifest: Json | undefined, workspacePackageNames: ReadonlySet<string>): string {
  for (const section of DEPENDENCY_SECTIONS) {
    const dependencies = manifest?.[section];
    if (typeof dependencies !== 'object' || dependencies === null) continue;
    for (const [name, spec] of Object.entries(dependencies as Json)) {
      if (workspacePackageNames.has(name) && typeof spec === 'string') return spec.startsWith('workspace:') ? 'workspace:*' : spec;
    }
  }
  return '*';
}

export interface PartManifestInput {
  old: Json;
  importName: string;
  /** The old entry and the new one, relative to their roots (`src/index.js`). */
  oldEntry?: string;
  newEntry: string;
  /** Packages the part's files import. */
  imports: ReadonlySet<string>;
  /** Import names of the plan's parts. */
  parts: ReadonlySet<string>;
  workspaceSpec: string;
  hasTests: boolean;
  adapter: RootAdapter;
  /** The project name, when it differs from the package name (written to the `nx` field). */
  projectName: string;
}

function sectionOf(old: Json, name: string): { section: DependencySection; spec: string } | undefined {
  for (const section of DEPENDENCY_SECTIONS) {
    const spec = (old[section] as Json | undefined)?.[name];
    if (typeof spec === 'string') return { section, spec };
  }
  return undefined;
}

function sortedRecord(entries: Iterable<[string, string]>): Json {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The new project's package.json, shaped like the old one: its name, the entry fields pointing at
 * its own entry, and dependencies on what its files import (parts of the plan, and whatever the
 * old project declared, in the same section with the same version).
 */
export function partManifest(input: PartManifestInput): Json {
  const { old } = input;
  const dependencies = new Map<DependencySection, Map<string, string>>();
  for (const name of [...input.imports].sort()) {
    if (name === input.importName) continue;
    const declared = input.parts.has(name) ? { section: 'dependencies' as const, spec: input.workspaceSpec } : sectionOf(old, name);
    if (declared === undefined) continue;
    const section = dependencies.get(declared.section) ?? new Map<string, string>();
    section.set(name, declared.spec);
    dependencies.set(declared.section, section);
  }
  const entryValue = (value: string): string => {
    const bare = value.replace(/^\.\//, '');
    return input.oldEntry !== undefined && bare === input.oldEntry ? (value.startsWith('./') ? `./${input.newEntry}` : input.newEntry) : value;
  };
  const entryJson = (value: unknown): unknown => {
    if (typeof value === 'string') return entryValue(value);
    if (Array.isArray(value)) return value.map(entryJson);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, entryJson(item)]));
    return value;
  };
  const result: Json = {};
  for (const [key, value] of Object.entries(old)) {
    if (key === 'name') result.name = input.importName;
    else if (['exports', 'main', 'module', 'types', 'typings', 'browser'].includes(key)) result[key] = entryJson(value);
    else if ((DEPENDENCY_SECTIONS as readonly string[]).includes(key)) {
      const section = dependencies.get(key as DependencySection);
      if (section !== undefined) result[key] = sortedRecord(section);
    } else if (key === 'scripts' && typeof value === 'object' && value !== null) {
      result.scripts = Object.fromEntries(Object.entries(value).filter(([name]) => input.hasTests || !isTestTarget(name)));
    } else if (key === 'nx' && typeof value === 'object' && value !== null) {
      const nx = input.adapter.json(value) as Json;
      if (!input.hasTests && typeof nx.targets === 'object' && nx.targets !== null) {
        nx.targets = Object.fromEntries(Object.entries(nx.targets as Json).filter(([name]) => !isTestTarget(name)));
      }
      result.nx = { ...nx, ...(input.projectName !== input.importName ? { name: input.projectName } : {}) };
    } else if (!['bin', 'files', 'workspaces'].includes(key)) {
      result[key] = input.adapter.json(value);
    }
  }
  if (result.name === undefined) result.name = input.importName;
  for (const [section, entries] of dependencies) if (result[section] === undefined) result[section] = sortedRecord(entries);
  return result;
}

/** The old project's package.json once its files import the parts (each added to its dependencies) and, with no test file left, without test scripts and targets. Undefined when nothing changes. */
export function keptManifest(old: Json, partsImported: readonly string[], workspaceSpec: string, keepsTests: boolean): Json | undefined {
  const result: Json = { ...old };
  const missing = partsImported.filter((name) => sectionOf(old, name) === undefined);
  if (missing.length > 0) {
    const dependencies = { ...((old.dependencies as Json | undefined) ?? {}) };
    for (const name of missing) dependencies[name] = workspaceSpec;
    result.dependencies = sortedRecord(Object.entries(dependencies) as Array<[string, string]>);
  }
  if (!keepsTests) {
    const withoutTests = (record: unknown): Json | undefined =>
      typeof record === 'object' && record !== null ? Object.fromEntries(Object.entries(record as Json).filter(([name]) => !isTestTarget(name))) : undefined;
    if (old.scripts !== undefined) result.scripts = withoutTests(old.scripts) ?? old.scripts;
    const nx = old.nx as Json | undefined;
    if (typeof nx === 'object' && nx !== null && nx.targets !== undefined) result.nx = { ...nx, targets: withoutTests(nx.targets) ?? nx.targets };
  }
  return JSON.stringify(result) === JSON.stringify(old) ? undefined : result;
}
