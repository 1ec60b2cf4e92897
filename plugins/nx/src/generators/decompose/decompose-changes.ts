import { posix } from 'node:path';
import { readJson, type Tree } from 'nx/src/devkit-exports';
import { checkPlan, FIX_INVALID } from './check-plan';
import { changePathProblems } from './confined-changes';
import { configFileCopies } from './config-files';
import { DecomposeRefusal } from './decompose-refusal';
import { existingPackageLink, type PackageLink } from './disk-links';
import type { DecomposeOutcome, DecomposeSummary } from './decompose-change-types';
import { filesToRewrite, planImportRewrites } from './import-rewrites';
import { applyEdits, readModuleSyntax } from './module-syntax';
import { detectSpecifierStyle, isBareSpecifier } from './module-specifiers';
import { defaultWorkspaceSpec, installStepsOf } from './install-steps';
import { packageNameOf } from '@sixty/core';
import { keptManifest, partManifest, workspaceDependencySpec } from './package-manifests';
import { partEntry } from './part-entry';
import type { PartPlacement } from './placement';
import { keptConfiguration, partConfiguration } from './project-configuration';
import type { PlanFile } from './read-plan-file';
import { createRootAdapter } from './root-adapter';
import { isTestFile } from './split-project-facts';
import { tsconfigWithPartPaths } from './tsconfig-paths-update';

type Json = Record<string, unknown>;

export type { DecomposeChanges, DecomposeOutcome, DecomposeSummary } from './decompose-change-types';

/**
 * Checks the plan against the workspace (checkPlan), then computes every change applying it makes:
 * moved files with rewritten imports, the new projects' files, the old project's facade and
 * configuration, tsconfig paths. Throws a DecomposeRefusal, having written nothing, when the plan
 * fails a check or an import would break.
 */
export function planDecomposition(tree: Tree, planFile: PlanFile): DecomposeOutcome {
  const checked = checkPlan(tree, planFile);
  if (checked.applied) return checked;
  const { plan, shownPath } = planFile;
  const { workspace, project, placement } = checked;

  const style = detectSpecifierStyle(
    project.files.flatMap((file) => workspace.syntaxOf(file).references.map((reference) => ({ importer: file, specifier: reference.specifier }))),
  );
  const rewrites = planImportRewrites({ workspace, project, placement, style }, filesToRewrite(workspace, project));
  const entries = placement.parts.map((part) => partEntry(part, placement, workspace, style));
  const syntaxProblems = [...rewrites.problems, ...entries.flatMap((entry) => entry.problems)];
  if (syntaxProblems.length > 0) {
    throw new DecomposeRefusal(
      `cannot apply ${shownPath} (${plan.task}): ${syntaxProblems.length} import${syntaxProblems.length === 1 ? '' : 's'} would break, nothing was changed`,
      syntaxProblems,
      'change the code as each line says, or move the files into one part, then plan and apply again',
    );
  }

  // New contents of files that stay where they are (rewritten imports, the facade).
  const contents = new Map<string, string>();
  const textOf = (path: string): string => contents.get(path) ?? workspace.text(path) ?? '';
  for (const [file, edits] of rewrites.edits) if (placement.partOf(file) === undefined) contents.set(file, applyEdits(textOf(file), edits));
  for (const facade of plan.facade ?? []) {
    const part = placement.parts.find((candidate) => candidate.name === facade.project) as PartPlacement;
    if (rewrites.packagesImported.get(facade.from)?.has(part.importName)) continue;
    const text = textOf(facade.from);
    contents.set(facade.from, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}export * from '${part.importName}';\n`);
    const imported = rewrites.packagesImported.get(facade.from) ?? new Set<string>();
    imported.add(part.importName);
    rewrites.packagesImported.set(facade.from, imported);
  }

  const moves = placement.parts.flatMap((part) =>
    part.files.map((file) => {
      const edits = rewrites.edits.get(file);
      const original = workspace.text(file) ?? '';
      return { from: file, to: placement.newPathOf(file), content: edits === undefined ? original : applyEdits(original, edits) };
    }),
  );
  const writes: Array<{ path: string; content: string }> = [];
  const writeJsonFile = (path: string, value: unknown): void => {
    writes.push({ path, content: `${JSON.stringify(value, null, 2)}\n` });
  };

  const workspacePackageNames = new Set([...workspace.packages.map((p) => p.name), ...placement.parts.map((p) => p.importName)]);
  const workspaceSpec = workspaceDependencySpec(project.manifest, workspacePackageNames, defaultWorkspaceSpec(tree));
  const partImportNames = new Set(placement.parts.map((part) => part.importName));
  const oldEntry = project.entryPoints[0];
  const projectImports = new Set<string>();
  for (const file of project.files) for (const reference of workspace.syntaxOf(file).references) if (isBareSpecifier(reference.specifier)) projectImports.add(packageNameOf(reference.specifier));
  const relativeToRoot = (path: string, root: string): string => (root === '' ? path : path.slice(root.length + 1));
  const summaryParts: DecomposeSummary['parts'] = [];
  for (const [index, part] of placement.parts.entries()) {
    const tests = part.files.filter((file) => isTestFile(file, project.root)).length;
    const hasTests = tests > 0;
    const adapter = createRootAdapter({ root: project.root, name: project.name }, { root: part.root, name: part.name });
    writes.push({ path: part.entry, content: (entries[index] as { content: string }).content });
    const configurationSource = project.projectJson ?? (project.manifest?.nx as Json | undefined);
    if (project.projectJson !== undefined || project.manifest === undefined) {
      const schemaPath = project.projectJson?.$schema !== undefined ? posix.relative(part.root, 'node_modules/nx/schemas/project-schema.json') : undefined;
      writeJsonFile(`${part.root}/project.json`, partConfiguration({ old: configurationSource ?? {}, name: part.name, root: part.root, hasTests, adapter, ...(schemaPath ? { schemaPath } : {}) }));
    }
    const configCopies = configFileCopies(tree, project.root, part.root, hasTests, adapter);
    if (project.manifest !== undefined) {
      const imports = new Set<string>();
      for (const file of part.files) for (const name of rewrites.packagesImported.get(file) ?? []) imports.add(name);
      for (const name of configImports(configCopies)) imports.add(name);
      writeJsonFile(
        `${part.root}/package.json`,
        partManifest({
          old: project.manifest,
          importName: part.importName,
          ...(oldEntry !== undefined ? { oldEntry: relativeToRoot(oldEntry, project.root) } : {}),
          newEntry: relativeToRoot(part.entry, part.root),
          imports,
          projectImports,
          parts: partImportNames,
          workspaceSpec,
          hasTests,
          adapter,
          projectName: part.name,
        }),
      );
    }
    for (const copy of configCopies) writes.push(copy);
    summaryParts.push({ name: part.name, root: part.root, importName: part.importName, files: part.files.length, tests });
  }

  // The old project: test targets go when no test file stays; its package depends on the parts it imports.
  const keptFiles = project.files.filter((file) => placement.partOf(file) === undefined);
  const keepsTests = keptFiles.some((file) => isTestFile(file, project.root));
  const removedTestTargets: string[] = [];
  if (project.projectJson !== undefined) {
    const kept = keptConfiguration(project.projectJson, keepsTests);
    if (kept !== undefined) {
      removedTestTargets.push(...Object.keys(project.projectJson.targets as Json).filter((name) => !(name in (kept.targets as Json))));
      writeJsonFile(project.root === '' ? 'project.json' : `${project.root}/project.json`, kept);
    }
  }
  if (project.manifest !== undefined) {
    const partsImported = new Set<string>();
    for (const file of keptFiles) for (const name of rewrites.packagesImported.get(file) ?? []) if (partImportNames.has(name)) partsImported.add(name);
    const kept = keptManifest(project.manifest, [...partsImported].sort(), workspaceSpec, keepsTests);
    if (kept !== undefined) writeJsonFile(project.root === '' ? 'package.json' : `${project.root}/package.json`, kept);
  }

  if (workspace.aliases.file !== undefined) {
    const config = readJson(tree, workspace.aliases.file) as Json;
    const updated = tsconfigWithPartPaths(config, workspace.aliases, { oldImportName: project.importName, parts: placement.parts, newPathOf: placement.newPathOf });
    if (updated !== undefined) writeJsonFile(workspace.aliases.file, updated);
  }
  for (const [path, content] of contents) writes.push({ path, content });

  const links: PackageLink[] = [];
  const linksItself = existingPackageLink(tree.root, project.importName) !== undefined;
  if (linksItself) for (const part of placement.parts) links.push({ link: `node_modules/${part.importName}`, target: part.root });
  const setup = installStepsOf(tree, { hasManifests: project.manifest !== undefined, linked: linksItself });
  const outside = changePathProblems({ moves, writes, links }, workspace.confinement);
  if (outside.length > 0) {
    throw new DecomposeRefusal(`cannot apply ${shownPath} (${plan.task}): ${outside.length} path${outside.length === 1 ? '' : 's'} outside what a plan may change, nothing was changed`, outside, FIX_INVALID);
  }

  return {
    applied: false,
    changes: {
      moves,
      writes,
      links,
      summary: {
        task: plan.task,
        oldProject: project.name,
        parts: summaryParts,
        movedFiles: moves.length,
        rewrittenImports: rewrites.rewrittenCount,
        rewrittenFiles: rewrites.edits.size,
        removedTestTargets,
        setupCommands: setup.commands,
        setupReasons: setup.reasons,
      },
    },
  };
}

/** Packages the copied config files import (`vitest/config` in vitest.config.ts): the part runs them. */
function configImports(copies: ReadonlyArray<{ path: string; content: string }>): string[] {
  return copies
    .filter((copy) => /\.[cm]?[jt]s$/.test(copy.path))
    .flatMap((copy) => readModuleSyntax(copy.content).references.map((reference) => reference.specifier))
    .filter(isBareSpecifier)
    .map(packageNameOf);
}
