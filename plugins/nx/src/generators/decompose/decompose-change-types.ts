import type { PackageLink } from './disk-links';

/** Everything applying a plan writes, computed before the Tree is touched. */
export interface DecomposeChanges {
  /** Files that move (old path -> new path), with their rewritten content. */
  moves: Array<{ from: string; to: string; content: string }>;
  /** Files created or rewritten in place, with their whole content. */
  writes: Array<{ path: string; content: string }>;
  /** node_modules links to create after the Tree is written (the workspace links its packages itself). */
  links: PackageLink[];
  summary: DecomposeSummary;
}

export interface DecomposeSummary {
  task: string;
  oldProject: string;
  parts: Array<{ name: string; root: string; importName: string; files: number; tests: number }>;
  movedFiles: number;
  rewrittenImports: number;
  rewrittenFiles: number;
  /** Test targets removed from the old project because it keeps no test file. */
  removedTestTargets: string[];
  /** Commands the user runs before building: the package manager's install, `nx sync` (in order). */
  setupCommands: string[];
  /** Why each setup command is needed, one line each. */
  setupReasons: string[];
}

export type DecomposeOutcome = { applied: false; changes: DecomposeChanges } | { applied: true; summary: string };
