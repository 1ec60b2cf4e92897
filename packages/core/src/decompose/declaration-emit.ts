import { parse, type ParseError } from 'jsonc-parser';
import { posix } from 'node:path';
import type { DeclarationEmit } from './plan-declaration-inputs';

/** A resolved nx target: what the declaration reader looks at. */
export interface BuildTargetConfig {
  executor?: string;
  command?: string;
  options?: Record<string, unknown>;
  outputs?: unknown[];
}

/** Reads a workspace-relative file; undefined when it does not exist. */
export type ReadWorkspaceFile = (path: string) => string | undefined;

/**
 * Where a build writes its declarations, read from its tsc invocation and tsconfig (`extends`
 * followed inside the workspace): `@nx/js:tsc` (its tsConfig option), or a run-commands target
 * whose command runs `tsc -p <file>`, `tsc --project <file>`, `tsc -b <file>` or `tsc` alone.
 * A build that is not tsc, or a tsconfig without "declaration" (or "composite"), emits none.
 */
export function declarationEmitOf(target: BuildTargetConfig, readFile: ReadWorkspaceFile): DeclarationEmit {
  const options = target.options ?? {};
  let tsconfig: string | undefined;
  if (target.executor === '@nx/js:tsc') {
    if (typeof options.tsConfig !== 'string') return { none: '@nx/js:tsc without a tsConfig option' };
    tsconfig = normalize(options.tsConfig);
    const read = readCompilerOptions(tsconfig, readFile);
    if ('none' in read) return read;
    // @nx/js:tsc always emits declarations, into outputPath unless the tsconfig says otherwise
    const directory = read.declarationDir ?? (typeof options.outputPath === 'string' ? normalize(options.outputPath) : read.outDir);
    return directory === undefined ? { none: `${tsconfig} sets no outDir and the target no outputPath` } : { directory };
  }
  const commands = commandsOf(target);
  if (commands.length === 0) return { none: `its executor ${target.executor ?? '(none)'} is not tsc (sixty reads declarations from tsc builds)` };
  const cwd = typeof options.cwd === 'string' ? normalize(options.cwd) : '';
  for (const command of commands) {
    const project = tscProjectOf(command);
    if (project === undefined) continue;
    tsconfig = normalize(posix.join(cwd, project.endsWith('.json') ? project : posix.join(project, 'tsconfig.json')));
    const read = readCompilerOptions(tsconfig, readFile);
    if ('none' in read) return read;
    if (!read.declaration) return { none: `no "declaration" or "composite" in ${tsconfig}` };
    const directory = read.declarationDir ?? read.outDir;
    return directory === undefined ? { none: `${tsconfig} sets no outDir: tsc writes the declarations beside the sources` } : { directory };
  }
  return { none: `its command runs no tsc (${commands[0]!.slice(0, 80)})` };
}

function commandsOf(target: BuildTargetConfig): string[] {
  const options = target.options ?? {};
  const found: string[] = [];
  if (typeof target.command === 'string') found.push(target.command);
  if (typeof options.command === 'string') found.push(options.command);
  if (Array.isArray(options.commands)) {
    for (const entry of options.commands) {
      if (typeof entry === 'string') found.push(entry);
      else if (typeof entry === 'object' && entry !== null && typeof (entry as { command?: unknown }).command === 'string') found.push((entry as { command: string }).command);
    }
  }
  return found;
}

/** The tsconfig a tsc command line builds (`tsconfig.json` of the cwd when none is named); undefined when it runs no tsc. */
function tscProjectOf(command: string): string | undefined {
  for (const part of command.split(/&&|\|\||;/)) {
    const words = part.trim().split(/\s+/);
    const at = words.findIndex((word) => /(^|\/)tsc$/.test(word));
    if (at === -1) continue;
    for (let i = at + 1; i < words.length; i++) {
      const word = words[i]!;
      if (word === '-p' || word === '--project' || word === '-b' || word === '--build') {
        const next = words[i + 1];
        return next !== undefined && !next.startsWith('-') ? next : 'tsconfig.json';
      }
      if (word.startsWith('--project=')) return word.slice('--project='.length);
    }
    return 'tsconfig.json';
  }
  return undefined;
}

interface CompilerFacts {
  declaration: boolean;
  outDir?: string;
  declarationDir?: string;
}

/** The compiler options that decide declarations, along the `extends` chain (workspace files only). */
function readCompilerOptions(tsconfig: string, readFile: ReadWorkspaceFile, depth = 0): CompilerFacts | { none: string } {
  const text = readFile(tsconfig);
  if (text === undefined) return { none: `${tsconfig} does not exist` };
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as { extends?: unknown; compilerOptions?: Record<string, unknown> } | undefined;
  if (typeof value !== 'object' || value === null) return { none: `${tsconfig} is not a JSON object` };
  let facts: CompilerFacts = { declaration: false };
  const bases = typeof value.extends === 'string' ? [value.extends] : Array.isArray(value.extends) ? value.extends.filter((e): e is string => typeof e === 'string') : [];
  for (const base of bases) {
    // a package's tsconfig (`@tsconfig/node20`) is outside the workspace: read what the workspace says
    if (depth > 10 || !base.startsWith('.')) continue;
    const path = normalize(posix.join(posix.dirname(tsconfig), base.endsWith('.json') ? base : `${base}.json`));
    const inherited = readCompilerOptions(path, readFile, depth + 1);
    if (!('none' in inherited)) facts = { ...facts, ...inherited };
  }
  const options = value.compilerOptions ?? {};
  const here = posix.dirname(tsconfig);
  if (typeof options.declaration === 'boolean') facts.declaration = options.declaration;
  if (options.composite === true) facts.declaration = true;
  if (typeof options.outDir === 'string') facts.outDir = normalize(posix.join(here, options.outDir));
  if (typeof options.declarationDir === 'string') facts.declarationDir = normalize(posix.join(here, options.declarationDir));
  return facts;
}

/** Workspace-relative, `/`-separated, no `./` or trailing `/`; `.` is the root (''). */
function normalize(path: string): string {
  const joined = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '');
  return joined === '.' ? '' : joined.replace(/^\.\//, '');
}

/** Declared outputs with nx's tokens replaced: `{projectRoot}`, `{workspaceRoot}`, `{options.x}`. Entries that stay unresolved are dropped. */
export function resolveOutputs(outputs: readonly unknown[] | undefined, projectRoot: string, options: Record<string, unknown> = {}): string[] {
  const resolved: string[] = [];
  for (const output of outputs ?? []) {
    if (typeof output !== 'string') continue;
    let missing = false;
    const path = output
      .replace(/\{projectRoot\}/g, projectRoot)
      .replace(/\{workspaceRoot\}\/?/g, '')
      .replace(/\{options\.([^}]+)\}/g, (_, key: string) => {
        const value = options[key];
        if (typeof value !== 'string') missing = true;
        return typeof value === 'string' ? value : '';
      });
    if (!missing) resolved.push(normalize(path.replace(/^\/+/, '')));
  }
  return resolved;
}
