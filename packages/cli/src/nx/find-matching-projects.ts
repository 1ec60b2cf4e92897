/** A project graph node as nx's matcher reads it. */
export interface MatchableProjectNode {
  name?: string;
  type?: string;
  data: { root: string; tags?: string[] };
}

/**
 * nx's own `findMatchingProjects` (names, globs, `tag:` globs, directories, `!` exclusions) from
 * the workspace's nx, bound to the project nodes: the matcher nx's task graph uses for a
 * `dependsOn` `projects` list, same module path in nx 20 to 24. Undefined when it cannot be loaded.
 */
export function nxProjectMatcher(workspaceRoot: string, nodes: Record<string, MatchableProjectNode>): ((patterns: string[]) => string[]) | undefined {
  try {
    const modulePath = require.resolve('nx/src/utils/find-matching-projects', { paths: [workspaceRoot] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace's nx, not ours
    const { findMatchingProjects } = require(modulePath) as { findMatchingProjects: (patterns: string[], projects: Record<string, MatchableProjectNode>) => string[] };
    if (typeof findMatchingProjects !== 'function') return undefined;
    return (patterns) => findMatchingProjects(patterns, nodes);
  } catch {
    return undefined;
  }
}
