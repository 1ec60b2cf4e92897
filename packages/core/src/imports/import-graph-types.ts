/** Plain-data shapes of a project's module import graph. Every path is workspace-relative, with `/`. */

export interface ImportGraphFile {
  path: string;
  /** Size on disk in bytes: the basis of size-scaled cost estimates. */
  bytes: number;
  /** A test runner entry (matches the test file pattern). */
  isTest: boolean;
}

/** `from` imports `to`. */
export interface ImportEdge {
  from: string;
  to: string;
  /** Only `import type`, `import { type X }` or `export type ... from`: no runtime dependency by the syntax. Imports TypeScript would elide because they are used only as types are runtime edges (a safe over-approximation). */
  typeOnly: boolean;
  /** Only through `import()`: loaded lazily. */
  dynamic: boolean;
}

export interface ImportGraph {
  /** Workspace-relative root of the project that was read (`''` for a root project). */
  projectRoot: string;
  /** Every source file of the project, sorted by path. */
  files: ImportGraphFile[];
  /** Import edges between files of the project, sorted by from, then to. */
  edges: ImportEdge[];
  /** Edges to files outside the project (other projects through path aliases, workspace scripts). */
  crossProjectEdges: ImportEdge[];
  /** File -> external packages it imports (package names, subpaths cut: `lodash/fp` -> `lodash`). Files without any are absent. */
  externalsByFile: Record<string, string[]>;
  /** Test file -> project modules it reaches at runtime, transitively (type-only edges do not count), sorted. */
  testReach: Record<string, string[]>;
  /** The project's public entry points (package.json main/exports, else src/index.*). */
  entryPoints: string[];
  /** Project modules the entry points import directly: what the old entry exposes. */
  publicModules: string[];
  /** Files the parser could not read (`line N: message`), kept as leaves: their own imports are unknown. Not fatal. */
  unparsable: Array<{ file: string; message: string }>;
  /** Imports that resolve to no file (missing or misspelled), by importing file. */
  unresolved: Array<{ file: string; specifier: string }>;
  /** Paths inside the project that are symbolic links pointing outside it. */
  symlinksOutside: string[];
}
