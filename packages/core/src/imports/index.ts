export * from './import-graph-types';
export { readImportGraph, DEFAULT_TEST_FILE_PATTERN, type ReadImportGraphOptions } from './read-import-graph';
export { computeTestReach } from './test-reach';
export { staticImportSpecifiers, typeOnlyImportSpecifiers } from './static-imports';
export { findEntryPoints, type EntryPointOptions } from './entry-points';
