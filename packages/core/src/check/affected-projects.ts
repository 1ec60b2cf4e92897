/**
 * Projects a change affects, as `nx affected` decides for source files: the projects whose
 * root holds a changed file (the deepest root wins) and everything that depends on them.
 */
export function affectedProjects(
  changedFiles: readonly string[],
  projects: ReadonlyArray<{ name: string; root: string }>,
  projectDependencies: Readonly<Record<string, readonly string[]>>,
): string[] {
  const byDepth = [...projects].sort((a, b) => b.root.length - a.root.length);
  const touched = new Set<string>();
  for (const file of changedFiles) {
    const owner = byDepth.find((p) => p.root === '.' || p.root === '' || file === p.root || file.startsWith(`${p.root}/`));
    if (owner) touched.add(owner.name);
  }
  const dependents = new Map<string, string[]>();
  for (const [project, deps] of Object.entries(projectDependencies)) {
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(project);
      else dependents.set(dep, [project]);
    }
  }
  const affected = new Set<string>(touched);
  const queue = [...touched];
  while (queue.length > 0) {
    for (const dependent of dependents.get(queue.pop()!) ?? []) {
      if (!affected.has(dependent)) {
        affected.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return [...affected].sort();
}
