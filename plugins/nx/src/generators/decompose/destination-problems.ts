import type { ProjectConfiguration, Tree } from 'nx/src/devkit-exports';
import { unsafePathReason } from '@sixty/core';
import type { Placement } from './placement';
import type { WorkspaceFacts } from './workspace-facts';
import { isModuleFile } from './workspace-source-files';
import { quote } from './quote';

function isInside(path: string, directory: string): boolean {
  return directory === '' || path === directory || path.startsWith(`${directory}/`);
}

/**
 * Why the new projects cannot be written where the plan puts them: a root that already holds
 * files or lies inside another project, a moved file landing on an existing file or on the new
 * entry, an entry that is not a module, an import name already taken. Paths the validator
 * rejects as unsafe are skipped (it names them).
 */
export function destinationProblems(tree: Tree, workspace: WorkspaceFacts, placement: Placement): string[] {
  const problems: string[] = [];
  const projectRoots = [...workspace.projects.entries()].filter(([, project]: [string, ProjectConfiguration]) => project.root !== '' && project.root !== '.');
  const takenNames = new Map<string, string>();
  for (const alias of workspace.aliases.aliases) takenNames.set(alias.key, `the tsconfig path alias ${quote(alias.key)}`);
  for (const workspacePackage of workspace.packages) takenNames.set(workspacePackage.name, `the package of ${quote(workspacePackage.root)}`);
  for (const part of placement.parts) {
    const label = `part ${quote(part.name)}`;
    if (unsafePathReason(part.root) !== undefined || unsafePathReason(part.entry) !== undefined) continue;
    const inside = projectRoots.find(([, project]) => isInside(part.root, project.root) && project.root !== placement.oldRoot);
    if (inside !== undefined) problems.push(`${label}: root ${quote(part.root)} is inside the project ${inside[0]} (${inside[1].root})`);
    else if (tree.exists(part.root) && !tree.isFile(part.root) && tree.children(part.root).length > 0) problems.push(`${label}: root ${quote(part.root)} already exists and holds files`);
    else if (tree.exists(part.root) && tree.isFile(part.root)) problems.push(`${label}: root ${quote(part.root)} is a file`);
    if (!isModuleFile(part.entry)) problems.push(`${label}: entry ${quote(part.entry)} is not a JavaScript or TypeScript module`);
    const taken = takenNames.get(part.importName);
    if (taken !== undefined) problems.push(`${label}: its import name ${quote(part.importName)} is already ${taken}`);
    for (const file of part.files) {
      if (unsafePathReason(file) !== undefined || !isInside(file, placement.oldRoot)) continue;
      const destination = placement.newPathOf(file);
      if (destination === part.entry) problems.push(`${label}: ${quote(file)} would land on its new entry ${quote(part.entry)} (keep it in the old project, or choose another entry)`);
      else if (tree.exists(destination)) problems.push(`${label}: ${quote(file)} would overwrite ${quote(destination)}`);
    }
  }
  return problems;
}
