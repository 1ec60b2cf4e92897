/**
 * Nx accepts letters, digits, `-`, `_`, `.`, `@` scopes and `/`. Plans are held to a narrower,
 * portable form: an optional npm-style scope, then a name starting with a letter or digit.
 */
export const PROJECT_NAME_PATTERN = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i;
const MAX_PROJECT_NAME_LENGTH = 214;

export function isValidProjectName(name: string): boolean {
  return name.length <= MAX_PROJECT_NAME_LENGTH && PROJECT_NAME_PATTERN.test(name);
}
