import { getProjects, readJson, type ProjectConfiguration, type Tree } from 'nx/src/devkit-exports';
import {
  createWorkspaceConfinement,
  createWorkspaceModuleResolver,
  findEntryPoints,
  protectedDirectoriesOf,
  type WorkspaceConfinement,
  type WorkspaceModuleResolver,
  type WorkspacePackage,
} from '@sixty/core';
import { diskLinks, type DiskLinks } from './disk-links';
import { readModuleSyntax, type ModuleSyntax } from './module-syntax';
import { readWorkspaceAliases, type WorkspaceAliases } from './tsconfig-aliases';
import { listSourceFiles } from './workspace-source-files';

/** What the generator reads from the Tree once: projects, aliases, packages, sources, and a resolver over them. */
export interface WorkspaceFacts {
  projects: Map<string, ProjectConfiguration>;
  aliases: WorkspaceAliases;
  packages: WorkspacePackage[];
  links: DiskLinks;
  /** Where the plan may write or delete: the workspace on the disk under the Tree, symbolic links followed. */
  confinement: WorkspaceConfinement;
  /** Every source file of the workspace, sorted. */
  sourceFiles: string[];
  resolver: WorkspaceModuleResolver;
  /** A file's text (cached; undefined when it is not there). */
  text(path: string): string | undefined;
  /** A source file's module syntax (cached). */
  syntaxOf(path: string): ModuleSyntax;
}

export function readWorkspaceFacts(tree: Tree): WorkspaceFacts {
  const projects = getProjects(tree);
  const aliases = readWorkspaceAliases(tree);
  const links = diskLinks(tree.root);
  const confinement = createWorkspaceConfinement({
    workspaceRoot: tree.root,
    protectedDirectories: protectedDirectoriesOf(tree.exists('nx.json') ? (tree.read('nx.json', 'utf-8') ?? undefined) : undefined, process.env),
  });
  const sourceFiles = listSourceFiles(tree, '', links);
  const known = new Set(sourceFiles);
  const isFile = (path: string): boolean => path !== '' && (known.has(path) || (!path.split('/').includes('node_modules') && tree.isFile(path)));
  const packages: WorkspacePackage[] = [];
  for (const project of projects.values()) {
    const manifest = readManifest(tree, project.root);
    if (manifest === undefined || typeof manifest.name !== 'string') continue;
    const entry = findEntryPoints({ projectRoot: project.root, manifest, isProjectFile: isFile })[0];
    packages.push({ name: manifest.name, root: project.root, ...(entry !== undefined ? { entry } : {}) });
  }
  const texts = new Map<string, string | undefined>();
  const syntaxes = new Map<string, ModuleSyntax>();
  const text = (path: string): string | undefined => {
    if (!texts.has(path)) texts.set(path, tree.exists(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined);
    return texts.get(path);
  };
  return {
    projects,
    aliases,
    packages,
    links,
    confinement,
    sourceFiles,
    resolver: createWorkspaceModuleResolver({ isFile, aliases: aliases.aliases, packages }),
    text,
    syntaxOf(path) {
      let syntax = syntaxes.get(path);
      if (syntax === undefined) {
        syntax = readModuleSyntax(text(path) ?? '');
        syntaxes.set(path, syntax);
      }
      return syntax;
    },
  };
}

/** A project's package.json, when it has one that parses. */
export function readManifest(tree: Tree, root: string): Record<string, unknown> | undefined {
  const path = root === '' ? 'package.json' : `${root}/package.json`;
  if (!tree.exists(path)) return undefined;
  try {
    const value: unknown = readJson(tree, path);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
