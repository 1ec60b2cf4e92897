export * from './import-graph-types';
export { readImportGraph, DEFAULT_TEST_FILE_PATTERN, type ReadImportGraphOptions } from './read-import-graph';
export { computeTestReach } from './test-reach';
export { readModuleRecord, type ModuleImport, type ModuleImportKind, type ModuleRecord } from './module-record';
export { packageNameOf } from './package-name';
export { isSourceFile } from './source-files';
export { findEntryPoints, type EntryPointOptions } from './entry-points';
export { expandAlias, type AliasPattern } from './tsconfig-paths';
export {
  createWorkspaceModuleResolver,
  isRelativeSpecifier,
  type Resolution,
  type ResolutionVia,
  type WorkspaceModuleResolver,
  type WorkspaceModuleResolverOptions,
  type WorkspacePackage,
} from './workspace-module-resolver';
