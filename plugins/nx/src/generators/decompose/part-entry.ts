import { moduleSpecifier, type TypeScriptSpecifierStyle } from './module-specifiers';
import type { PartPlacement, Placement } from './placement';
import { isTestFile } from './split-project-facts';
import type { WorkspaceFacts } from './workspace-facts';
import { isModuleFile } from './workspace-source-files';
import { quote } from './quote';

export interface PartEntry {
  path: string;
  content: string;
  /** Names two of its modules both export: `export *` of both would hide the name. */
  problems: string[];
}

/** The modules of a part its entry re-exports: every non-test module, by old path, sorted. */
export function entryModules(part: PartPlacement, oldRoot: string): string[] {
  return part.files.filter((file) => isModuleFile(file) && !isTestFile(file, oldRoot));
}

/**
 * The new project's public entry: `export * from './<module>'` for each of its modules, written in
 * the workspace's specifier style. Reports a name that two modules export (the entry would make it
 * ambiguous, so importers of it would break), when the lexer can list both modules' names.
 */
export function partEntry(part: PartPlacement, placement: Placement, workspace: WorkspaceFacts, style: TypeScriptSpecifierStyle): PartEntry {
  const modules = entryModules(part, placement.oldRoot);
  const lines = modules.map((module) => `export * from '${moduleSpecifier(part.entry, placement.newPathOf(module), style)}';`);
  const problems: string[] = [];
  const exporterOf = new Map<string, { module: string; origin: string }>();
  for (const module of modules) {
    for (const [name, origin] of exportedNames(module, workspace, new Set())) {
      const other = exporterOf.get(name);
      if (other === undefined) exporterOf.set(name, { module, origin });
      else if (other.origin !== origin) {
        problems.push(`part ${quote(part.name)}: ${quote(other.module)} and ${quote(module)} both export ${quote(name)}; its entry cannot re-export both (rename one, or put them in different parts)`);
      }
    }
  }
  return { path: part.entry, content: lines.length > 0 ? `${lines.join('\n')}\n` : 'export {};\n', problems };
}

/**
 * Names a module exports (`default` left out: `export *` skips it), each with the file that
 * declares it, through `export *` and `export { } from` of workspace files: the same binding
 * reached twice is one name, not a clash.
 */
function exportedNames(file: string, workspace: WorkspaceFacts, seen: Set<string>): Map<string, string> {
  const names = new Map<string, string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const syntax = workspace.syntaxOf(file);
  for (const name of syntax.exportedNames) if (name !== 'default') names.set(name, file);
  for (const reexport of syntax.namedReexports) {
    if (reexport.exported === 'default') continue;
    const target = workspace.resolver.resolve(reexport.specifier, file)?.file;
    const origin = target === undefined ? `${reexport.specifier}#${reexport.imported}` : (exportedNames(target, workspace, new Set(seen)).get(reexport.imported) ?? target);
    names.set(reexport.exported, origin);
  }
  for (const specifier of syntax.starExportSpecifiers) {
    const target = workspace.resolver.resolve(specifier, file)?.file;
    if (target === undefined) continue;
    for (const [name, origin] of exportedNames(target, workspace, seen)) if (!names.has(name)) names.set(name, origin);
  }
  return names;
}
