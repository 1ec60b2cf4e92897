import { parse } from 'jsonc-parser';
import { SixtyError } from '../errors/sixty-error';
import {
  DECLARATION_OUTPUTS_INPUT,
  isDeclarationOutputsInput,
  readsDependencySources,
  type InputsPlan,
  type InputsPlanRefusal,
  type InputsPlanTarget,
  type NxInput,
} from '../plan/inputs-plan';
import { PLAN_SCHEMA_VERSION } from '../plan/plan-types';
import { isInsideDirectory } from '../workspace-files/safe-path';

/** Where a build writes its declarations (a workspace-relative directory), or why it writes none. */
export type DeclarationEmit = { directory: string } | { none: string };

/** What the planner knows of one build target, read by the caller from nx and the target's tsconfig. */
export interface BuildTargetFacts {
  /** `project:target`. */
  task: string;
  project: string;
  projectRoot: string;
  /** Resolved inputs (targetDefaults merged); undefined is nx's default: every file of the project and of its dependencies. */
  inputs?: NxInput[];
  /** Declared outputs, workspace-relative, tokens resolved (globs kept). */
  outputs: string[];
  declarations: DeclarationEmit;
  /** The project's project.json (workspace-relative); null when the project has none. */
  configFile: string | null;
}

export interface DeclarationInputsInput {
  /** The build whose implementation changes should stop rebuilding its dependents, `project:target`. */
  task: string;
  budgetMs: number;
  /** Per project, its target of the plan's target name (projects without one are absent). */
  targets: ReadonlyMap<string, BuildTargetFacts>;
  /** Every project that depends on the plan's project, directly or not. */
  dependents: readonly string[];
  /** Every project a project depends on, directly or not. */
  dependenciesOf: (project: string) => readonly string[];
  loopEstimate?: { beforeMs: number; afterMs: number };
  /** nx.json's named inputs: one that reads dependency sources is expanded so they can be narrowed. */
  namedInputs?: NamedInputs;
}

/** nx's inputs when a target sets none: every file of the project and of its dependencies. */
const NX_DEFAULT_INPUTS: NxInput[] = ['default', '^default'];

/** Why nx could not hash a build's declarations, or undefined when it can. */
export function undeclaredDeclarationsReason(facts: BuildTargetFacts): string | undefined {
  if ('none' in facts.declarations) return `emits no declarations (${facts.declarations.none})`;
  const directory = facts.declarations.directory;
  if (facts.outputs.length === 0) {
    return `declares no outputs, and nx hashes dependentTasksOutputFiles only from declared outputs; add "outputs": ["${directory}"] to it (where it writes its declarations)`;
  }
  if (!facts.outputs.some((output) => outputCovers(output, directory))) {
    return `writes its declarations to ${directory}, outside its declared outputs (${facts.outputs.join(', ')}), so nx would not hash them; add "${directory}" to its outputs`;
  }
  return undefined;
}

/** True when a declared output (a path or a glob) holds the .d.ts files written under `directory`. */
function outputCovers(output: string, directory: string): boolean {
  const segments = output.split('/');
  const firstGlob = segments.findIndex((segment) => /[*?[{!]/.test(segment));
  const prefix = (firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join('/');
  if (!isInsideDirectory(directory, prefix)) return false;
  return firstGlob === -1 || /(\*\*(\/\*)?|\*|\*\.d\.ts|\*\.ts)$/.test(output);
}

/** nx.json's `namedInputs`: name -> its inputs. */
export type NamedInputs = Readonly<Record<string, readonly NxInput[]>>;

/** nx.json's `namedInputs` (comments allowed); empty when it has none or cannot be read. */
export function namedInputsOfNxJson(text: string | undefined): NamedInputs {
  if (text === undefined) return {};
  const value = parse(text, [], { allowTrailingComma: true }) as { namedInputs?: unknown } | undefined;
  const named = value?.namedInputs;
  if (typeof named !== 'object' || named === null) return {};
  return Object.fromEntries(Object.entries(named).filter((entry): entry is [string, NxInput[]] => Array.isArray(entry[1])));
}

/**
 * The inputs with each named input that reads dependency sources somewhere in its definition
 * (`production: ["default", "^production"]`) replaced by that definition, as nx itself expands
 * it: those sources can then be narrowed. Named inputs that read none stay as they are.
 */
export function expandNamedInputs(inputs: readonly NxInput[], namedInputs: NamedInputs): NxInput[] {
  const readsSources = (name: string, seen: Set<string>): boolean => {
    if (seen.has(name) || !Object.hasOwn(namedInputs, name)) return false;
    seen.add(name);
    return namedInputs[name]!.some((input) => readsDependencySources(input) || (typeof input === 'string' && readsSources(input, seen)));
  };
  const expanded: NxInput[] = [];
  const expand = (list: readonly NxInput[], seen: Set<string>): void => {
    for (const input of list) {
      if (typeof input === 'string' && !seen.has(input) && readsSources(input, new Set())) expand(namedInputs[input]!, new Set([...seen, input]));
      else if (typeof input !== 'string' || !expanded.includes(input)) expanded.push(input);
    }
  };
  expand(inputs, new Set());
  return expanded;
}

/**
 * The build's inputs (named inputs that read dependency sources expanded) with every dependency-source input replaced, where the first one was, by
 * DECLARATION_OUTPUTS_INPUT; its own inputs (project files, env, external dependencies) kept.
 * `already` when it hashes declarations and no sources; `nothing` when it reads no dependency input.
 */
export function narrowBuildInputs(inputs: readonly NxInput[] | undefined, namedInputs: NamedInputs = {}): { inputs: NxInput[] } | { already: true } | { nothing: true } {
  const current = expandNamedInputs(inputs ?? NX_DEFAULT_INPUTS, namedInputs);
  if (!current.some(readsDependencySources)) return current.some(isDeclarationOutputsInput) ? { already: true } : { nothing: true };
  const isKept = (input: NxInput): boolean => !readsDependencySources(input) && !isDeclarationOutputsInput(input);
  const first = current.findIndex((input) => !isKept(input));
  const narrowed = current.filter(isKept);
  narrowed.splice(current.slice(0, first).filter(isKept).length, 0, { ...DECLARATION_OUTPUTS_INPUT });
  return { inputs: narrowed };
}

/**
 * Whether a project's build can hash its dependencies' declarations instead of their sources: its
 * new inputs, or why not (it emits no declared declarations, a build it depends on does not, it
 * has no project.json, or it reads no dependency sources). Undefined when it has no such build.
 * Memoized over one set of facts.
 */
export function declarationNarrowing(input: Pick<DeclarationInputsInput, 'targets' | 'dependenciesOf' | 'namedInputs'>): (project: string) => InputsPlanTarget | InputsPlanRefusal | undefined {
  const unhashable = new Map<string, string | undefined>();
  const reasonOf = (name: string): string | undefined => {
    if (!unhashable.has(name)) unhashable.set(name, undeclaredDeclarationsReason(input.targets.get(name)!));
    return unhashable.get(name);
  };
  return (project) => {
    const facts = input.targets.get(project);
    if (!facts) return undefined;
    const targetName = facts.task.slice(facts.task.indexOf(':') + 1);
    const own = reasonOf(project);
    if (own !== undefined) return { task: facts.task, reason: own };
    const blocking = input.dependenciesOf(project).filter((dependency) => input.targets.has(dependency) && reasonOf(dependency) !== undefined).sort();
    if (blocking.length > 0) {
      return { task: facts.task, reason: `depends on ${blocking.map((name) => `${name}:${targetName}`).join(', ')}, whose declarations nx would not hash (${reasonOf(blocking[0]!)})` };
    }
    if (facts.configFile === null) return { task: facts.task, reason: `${project} has no project.json to set the inputs in (its targets are all inferred); add one with the target's "inputs"` };
    const narrowed = narrowBuildInputs(facts.inputs, input.namedInputs);
    if ('already' in narrowed) return { task: facts.task, reason: 'already hashes its dependencies\' declarations instead of their sources' };
    if ('nothing' in narrowed) return { task: facts.task, reason: 'reads no dependency sources: a dependency\'s change already leaves it cached' };
    return { task: facts.task, configFile: facts.configFile, inputsBefore: [...(facts.inputs ?? NX_DEFAULT_INPUTS)], inputs: narrowed.inputs };
  };
}

/**
 * The inputs plan for one build: each dependent's build of the same name, when it emits
 * declarations into declared outputs and every build it depends on does too, gets inputs that
 * hash its dependencies' declarations instead of their sources. The others are listed with the
 * reason. Throws NO_USEFUL_PLAN (with the fix) when the plan's own build cannot serve as a
 * declaration boundary or no dependent can be narrowed.
 */
export function planDeclarationInputs(input: DeclarationInputsInput): InputsPlan {
  const [project = '', targetName = ''] = input.task.split(':');
  const own = input.targets.get(project);
  if (!own) throw new SixtyError('INVALID_ARGUMENT', `${project} has no ${targetName} target`, 'name a build target, e.g. `sixty plan lib-core:build --kind inputs`');
  const ownReason = undeclaredDeclarationsReason(own);
  if (ownReason !== undefined) {
    throw new SixtyError('NO_USEFUL_PLAN', `${input.task} ${ownReason}; its dependents must keep hashing its sources`, ownReason.includes('add "') ? 'declare the outputs, then plan again' : 'declaration-only inputs need a tsc build with "declaration": true (or composite)');
  }
  const targets: InputsPlanTarget[] = [];
  const refused: InputsPlanRefusal[] = [];
  const narrowing = declarationNarrowing(input);
  for (const dependent of [...input.dependents].sort()) {
    const verdict = narrowing(dependent);
    if (verdict === undefined) continue; // no build of that name: nothing to narrow
    if ('reason' in verdict) refused.push({ task: verdict.task, reason: verdict.reason });
    else targets.push(verdict);
  }
  if (targets.length === 0) {
    const why = refused.length === 0 ? `no project that depends on ${project} has a ${targetName} target` : refused.map((r) => `${r.task} ${r.reason}`).slice(0, 3).join('; ');
    throw new SixtyError('NO_USEFUL_PLAN', `no dependent build of ${input.task} can hash declarations instead of sources: ${why}`, 'see the reasons; a dependent that bundles its dependencies needs their sources');
  }
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    kind: 'inputs',
    task: input.task,
    budgetMs: input.budgetMs,
    rationale: `${targets.length} dependent build(s) of ${project} compile against its declarations: hashing those (${JSON.stringify(DECLARATION_OUTPUTS_INPUT)}) instead of the dependencies' sources leaves them cached after an implementation-only change in ${project}`,
    source: 'local',
    targets,
    refused,
    ...(input.loopEstimate ? { loopEstimate: input.loopEstimate } : {}),
  };
}
