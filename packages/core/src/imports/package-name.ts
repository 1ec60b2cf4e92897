/** The package a bare specifier names: `lodash/fp` -> `lodash`, `@scope/pkg/sub` -> `@scope/pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}
