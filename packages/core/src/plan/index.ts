export * from './plan-types';
export * from './plan-schema';
export * from './validate-plan';
export { isValidProjectName, PROJECT_NAME_PATTERN } from './project-name';
export { unsafePathReason, isInsideDirectory, normalizeProjectRoot } from './safe-path';
export { MAX_PROBLEM_LINES, capProblemLines } from './problem-lines';
export * from './planning-input';
export * from './file-hashes';
