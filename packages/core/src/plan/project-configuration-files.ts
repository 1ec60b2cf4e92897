/**
 * Files that configure a project rather than hold its code: the project's manifest and Nx
 * configuration, its TypeScript, test runner and lint configuration. A split never moves them:
 * the old project keeps its own, and the generator writes each new project its copy.
 */
const CONFIGURATION_FILE_NAME =
  /^(?:package\.json|project\.json|tsconfig(?:\.[\w-]+)*\.json|(?:vite|vitest|jest)(?:\.[\w-]+)*\.config\.[cm]?[jt]s|vitest\.workspace\.[cm]?[jt]s|jest\.preset\.[cm]?js|\.eslintrc(?:\.\w+)?|eslint\.config\.[cm]?[jt]s)$/;

/** True for a file that configures a project, wherever it lies (package.json, project.json, tsconfig*, vitest/jest configs, eslint configs). */
export function isProjectConfigurationFile(path: string): boolean {
  return CONFIGURATION_FILE_NAME.test(path.slice(path.lastIndexOf('/') + 1));
}
