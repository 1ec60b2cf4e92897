import { aliasTarget, type WorkspaceAliases } from './tsconfig-aliases';

type Json = Record<string, unknown>;

/**
 * The root tsconfig with one path alias per new project (placed after the old project's alias
 * when it has one), and alias targets that named a moved file pointed at its new place.
 * Undefined when the config has no `paths` to extend.
 */
export function tsconfigWithPartPaths(
  config: Json,
  aliases: WorkspaceAliases,
  input: { oldImportName: string; parts: ReadonlyArray<{ importName: string; entry: string }>; newPathOf: (path: string) => string },
): Json | undefined {
  const options = config.compilerOptions as Json | undefined;
  const paths = options?.paths as Record<string, unknown> | undefined;
  if (typeof paths !== 'object' || paths === null) return undefined;
  const toWorkspace = (target: string): string => (aliases.baseDirectory === '' ? target.replace(/^\.\//, '') : `${aliases.baseDirectory}/${target.replace(/^\.\//, '')}`);
  const moved = (target: string): string => {
    if (target.includes('*')) return target;
    const workspacePath = toWorkspace(target);
    const newPath = input.newPathOf(workspacePath);
    return newPath === workspacePath ? target : aliasTarget(aliases, newPath);
  };
  const added: Array<[string, string[]]> = input.parts.filter((part) => !(part.importName in paths)).map((part) => [part.importName, [aliasTarget(aliases, part.entry)]]);
  const entries: Array<[string, unknown]> = [];
  let placed = false;
  for (const [key, value] of Object.entries(paths)) {
    entries.push([key, Array.isArray(value) ? value.map((target) => (typeof target === 'string' ? moved(target) : target)) : value]);
    if (key === input.oldImportName) {
      entries.push(...added);
      placed = true;
    }
  }
  if (!placed) entries.push(...added);
  return { ...config, compilerOptions: { ...options, paths: Object.fromEntries(entries) } };
}
