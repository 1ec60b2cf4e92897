import type { ModuleReference, SpecifierEdit } from './module-syntax';
import { packageNameOf } from '@sixty/core';
import { isBareSpecifier, moduleSpecifier, relativeSpecifier, type TypeScriptSpecifierStyle } from './module-specifiers';
import type { Placement } from './placement';
import type { SplitProjectFacts } from './split-project-facts';
import type { WorkspaceFacts } from './workspace-facts';
import { quote } from './quote';
import { isModuleFile } from './workspace-source-files';

/** The import changes a split makes across the workspace, keyed by each file's path before the move. */
export interface ImportRewrites {
  edits: Map<string, SpecifierEdit[]>;
  /** Package names each file imports once rewritten (bare specifiers only). */
  packagesImported: Map<string, Set<string>>;
  /** Specifiers changed, across all files. */
  rewrittenCount: number;
  /** Imports the split cannot keep working. */
  problems: string[];
}

export interface ImportRewriteInput {
  workspace: WorkspaceFacts;
  project: SplitProjectFacts;
  placement: Placement;
  style: TypeScriptSpecifierStyle;
}

function isInside(path: string, directory: string): boolean {
  return directory === '' || path === directory || path.startsWith(`${directory}/`);
}

/**
 * Which files may import a moved file: the project's own, and any file whose text mentions the
 * project's folder name, its import name, or an alias that leads into it. Cheap, and never misses
 * one: a relative import into the project spells its folder, a bare one spells a name or alias.
 */
export function filesToRewrite(workspace: WorkspaceFacts, project: SplitProjectFacts): string[] {
  const folder = project.root.slice(project.root.lastIndexOf('/') + 1);
  const needles = new Set([project.importName]);
  if (folder !== '') needles.add(folder);
  for (const alias of workspace.aliases.aliases) {
    if (alias.targets.some((target) => isInside(target.replace(/\*.*$/, ''), project.root) || isInside(project.root, target.replace(/\/?\*.*$/, '')))) {
      if (alias.prefix !== '') needles.add(alias.prefix);
    }
  }
  for (const workspacePackage of workspace.packages) if (isInside(workspacePackage.root, project.root) || isInside(project.root, workspacePackage.root)) needles.add(workspacePackage.name);
  return workspace.sourceFiles.filter((file) => {
    if (isInside(file, project.root)) return true;
    const text = workspace.text(file);
    return text !== undefined && [...needles].some((needle) => text.includes(needle));
  });
}

/**
 * Rewrites every import, re-export, require and test mock whose target moves, or whose importer
 * moves and names its target by a relative path: within a part, relative paths are recomputed;
 * across projects, a moved module is imported by its part's package name; a moved file importing
 * the old project's entry imports the old package. Nothing else is touched.
 */
export function planImportRewrites(input: ImportRewriteInput, files: readonly string[]): ImportRewrites {
  const { workspace, project, placement, style } = input;
  const entryPoints = new Set(project.entryPoints);
  const result: ImportRewrites = { edits: new Map(), packagesImported: new Map(), rewrittenCount: 0, problems: [] };
  const problems = new Set<string>();

  for (const file of files) {
    const partOfFile = placement.partOf(file);
    const newFile = placement.newPathOf(file);
    const edits: SpecifierEdit[] = [];
    const packages = new Set<string>();
    const finalSpecifiers: Array<{ reference: ModuleReference; specifier: string; changed: boolean }> = [];
    for (const reference of workspace.syntaxOf(file).references) {
      const resolution = workspace.resolver.resolve(reference.specifier, file);
      const target = resolution?.file;
      const partOfTarget = target === undefined ? undefined : placement.partOf(target);
      let specifier: string | undefined;
      if (target !== undefined && partOfTarget !== undefined) {
        if (partOfTarget === partOfFile) {
          const writtenPath = resolution?.specifiedPath;
          specifier =
            resolution?.via === 'relative' && writtenPath !== undefined && isInside(writtenPath, placement.oldRoot)
              ? relativeSpecifier(newFile, placement.movedPathIn(partOfTarget, writtenPath))
              : moduleSpecifier(newFile, placement.newPathOf(target), style);
        } else if (reference.kind === 'mock') {
          // A mock names one module: pointed at the part's entry it would replace the whole part
          // (and miss the module, imported inside the part by its own path).
          specifier = moduleSpecifier(newFile, placement.newPathOf(target), style);
        } else {
          specifier = partOfTarget.importName;
          if (!isModuleFile(target)) {
            problems.add(`${quote(file)} imports ${quote(target)}, which moves to part ${quote(partOfTarget.name)}: a package entry cannot re-export a file that is not a module (keep them in one part)`);
          } else if ((reference.kind === 'import' || reference.kind === 'export') && reference.bindings.default) {
            problems.add(`${quote(file)} takes the default export of ${quote(target)}, which moves to part ${quote(partOfTarget.name)}: a package entry re-exports names, not defaults (export it by name, or keep both files in one part)`);
          }
        }
      } else if (partOfFile !== undefined && resolution?.via === 'relative' && resolution.specifiedPath !== undefined) {
        specifier =
          target !== undefined && entryPoints.has(target) && project.importName !== ''
            ? project.importName
            : relativeSpecifier(newFile, resolution.specifiedPath);
      }
      const changed = specifier !== undefined && specifier !== reference.specifier;
      const finalSpecifier = changed ? (specifier as string) : reference.specifier;
      if (changed) edits.push({ start: reference.start, end: reference.end, text: finalSpecifier });
      if (isBareSpecifier(finalSpecifier)) packages.add(packageNameOf(finalSpecifier));
      finalSpecifiers.push({ reference, specifier: finalSpecifier, changed });
    }
    const deduplicated = withoutRepeatedStarExports(workspace.text(file) ?? '', finalSpecifiers, edits);
    if (deduplicated.length > 0) {
      result.edits.set(file, deduplicated);
      result.rewrittenCount += finalSpecifiers.filter((entry) => entry.changed).length;
    }
    result.packagesImported.set(file, packages);
  }
  result.problems = [...problems];
  return result;
}

/**
 * `export * from './a'` and `export * from './b'` both become `export * from 'part'` when a and b
 * move to one part: the second and later statements are removed (one re-export says it all).
 */
function withoutRepeatedStarExports(
  source: string,
  references: ReadonlyArray<{ reference: ModuleReference; specifier: string; changed: boolean }>,
  edits: SpecifierEdit[],
): SpecifierEdit[] {
  const seen = new Set<string>();
  const removed: SpecifierEdit[] = [];
  const removedStarts = new Set<number>();
  for (const { reference, specifier, changed } of references) {
    if (reference.kind !== 'export' || !reference.bindings.star) continue;
    const key = `${reference.typeOnly ? 'type ' : ''}${specifier}`;
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    if (!changed) continue; // a repetition the file already had: not ours to remove
    removed.push(statementRemoval(source, reference.statementStart, reference.statementEnd));
    removedStarts.add(reference.start);
  }
  if (removed.length === 0) return edits;
  return [...edits.filter((edit) => !removedStarts.has(edit.start)), ...removed];
}

/** The statement, and its whole line when nothing else is on it. */
function statementRemoval(source: string, start: number, end: number): SpecifierEdit {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', end);
  const lineEnd = newline === -1 ? source.length : newline + 1;
  if (source.slice(lineStart, start).trim() === '' && source.slice(end, lineEnd).trim() === '') return { start: lineStart, end: lineEnd, text: '' };
  return { start, end, text: '' };
}
