import { isTestTarget } from './project-configuration';
import type { RootAdapter } from './root-adapter';

type Json = Record<string, unknown>;
const DEPENDENCY_SECTIONS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const;
type DependencySection = (typeof DEPENDENCY_SECTIONS)[number];

/** How this workspace's package.json files name a dependency on another workspace package (`fallback` when the manifest names none). */
export function workspaceDependencySpec(manifest: Json | undefined, workspacePackageNames: ReadonlySet<string>, fallback: string): string {
  for (const section of DEPENDENCY_SECTIONS) {
    const dependencies = manifest?.[section];
    if (typeof dependencies !== 'object' || dependencies === null) continue;
    for (const [name, spec] of Object.entries(dependencies as Json)) {
      if (workspacePackageNames.has(name) && typeof spec === 'string') return spec.startsWith('workspace:') ? 'workspace:*' : spec;
    }
  }
  return fallback;
}

export interface PartManifestInput {
  old: Json;
  importName: string;
  /** The old entry and the new one, relative to their roots (`src/index.js`). */
  oldEntry?: string;
  newEntry: string;
  /** Packages the part's files import. */
  imports: ReadonlySet<string>;
  /** Packages any file of the old project imports (before the split). */
  projectImports: ReadonlySet<string>;
  /** Import names of the plan's parts. */
  parts: ReadonlySet<string>;
  workspaceSpec: string;
  hasTests: boolean;
  adapter: RootAdapter;
  /** The project name, when it differs from the package name (written to the `nx` field). */
  projectName: string;
}

/** `@types/babel__core` types `@babel/core`; `@types/node` types `node`. */
function typedPackage(name: string): string | undefined {
  if (!name.startsWith('@types/')) return undefined;
  const bare = name.slice('@types/'.length);
  const scoped = bare.indexOf('__');
  return scoped > 0 ? `@${bare.slice(0, scoped)}/${bare.slice(scoped + 2)}` : bare;
}

function sortedRecord(entries: Iterable<[string, string]>): Json {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isDeclared(old: Json, name: string): boolean {
  return DEPENDENCY_SECTIONS.some((section) => typeof (old[section] as Json | undefined)?.[name] === 'string');
}

/**
 * Whether a part needs a package the old project declares: it imports it; or it is the types of a
 * package it imports; or no file of the old project imports it, so its use cannot be read from
 * imports (tslib for emitted helpers, ambient `@types/node`, the test runner its scripts call):
 * every part keeps it. Under pnpm's strict node_modules a part resolves only what it declares.
 */
function partNeeds(name: string, input: PartManifestInput): boolean {
  if (input.imports.has(name)) return true;
  const typed = typedPackage(name);
  if (typed !== undefined && (isDeclared(input.old, typed) || input.projectImports.has(typed))) return input.imports.has(typed);
  return !input.projectImports.has(name);
}

/** A `file:`/`link:` spec names a path relative to the package: it moves with the root. */
function specAt(spec: string, adapter: RootAdapter): string {
  const match = /^(file:|link:|portal:)(\.\.?\/.*)$/.exec(spec);
  return match ? `${match[1]}${adapter.string(match[2] as string)}` : spec;
}

/**
 * The new project's package.json, shaped like the old one: its name, the entry fields pointing at
 * its own entry, and dependencies on what it needs (parts of the plan, and what the old project
 * declared that the part needs — see partNeeds — in each section it was in, with the same range).
 */
export function partManifest(input: PartManifestInput): Json {
  const { old } = input;
  const dependencies = new Map<DependencySection, Map<string, string>>();
  const declare = (section: DependencySection, name: string, spec: string): void => {
    const entries = dependencies.get(section) ?? new Map<string, string>();
    entries.set(name, spec);
    dependencies.set(section, entries);
  };
  for (const name of [...input.imports].sort()) {
    if (name !== input.importName && input.parts.has(name)) declare('dependencies', name, input.workspaceSpec);
  }
  for (const section of DEPENDENCY_SECTIONS) {
    const declared = old[section];
    if (typeof declared !== 'object' || declared === null) continue;
    for (const [name, spec] of Object.entries(declared as Json)) {
      if (typeof spec !== 'string' || name === input.importName || input.parts.has(name) || !partNeeds(name, input)) continue;
      declare(section, name, specAt(spec, input.adapter));
    }
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
  const missing = partsImported.filter((name) => !isDeclared(old, name));
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
