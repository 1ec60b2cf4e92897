import { posix } from 'node:path';
import { expandAlias, type AliasPattern } from './tsconfig-paths';

/** How a specifier reached its file. */
export type ResolutionVia = 'relative' | 'alias' | 'package';

export interface Resolution {
  via: ResolutionVia;
  /** The workspace-relative file it names; undefined when no file matches (missing, or outside the workspace). */
  file?: string;
  /** Relative specifiers: the workspace-relative path as written, before extensions and index files were tried. */
  specifiedPath?: string;
}

/** A workspace package: its name and the folder its subpaths resolve in. */
export interface WorkspacePackage {
  name: string;
  root: string;
  /** The file the bare name resolves to. */
  entry?: string;
}

export interface WorkspaceModuleResolverOptions {
  /** Is there a file at this workspace-relative path? */
  isFile(path: string): boolean;
  /** `paths` entries, targets workspace-relative, most specific first. */
  aliases: readonly AliasPattern[];
  packages: readonly WorkspacePackage[];
}

export interface WorkspaceModuleResolver {
  /** What `specifier`, imported from the workspace-relative `importer`, names; undefined for external packages. */
  resolve(specifier: string, importer: string): Resolution | undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx', '.d.ts'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/**
 * Resolves like TypeScript's bundler resolution over any file lookup by workspace-relative path
 * (the Nx Tree, which oxc-resolver cannot read): relative paths, `.js` written for `.ts`, index
 * files, tsconfig paths, workspace packages. Says how each specifier reached its file, which
 * the decompose generator needs to rewrite it.
 */
export function createWorkspaceModuleResolver(options: WorkspaceModuleResolverOptions): WorkspaceModuleResolver {
  const probeCache = new Map<string, string | undefined>();
  const probe = (base: string): string | undefined => {
    if (probeCache.has(base)) return probeCache.get(base);
    const found = probeUncached(base);
    probeCache.set(base, found);
    return found;
  };
  const probeUncached = (base: string): string | undefined => {
    const dot = base.lastIndexOf('.');
    const extension = dot > base.lastIndexOf('/') ? base.slice(dot) : '';
    for (const replacement of TS_FOR_JS[extension] ?? []) {
      const candidate = base.slice(0, dot) + replacement;
      if (options.isFile(candidate)) return candidate;
    }
    if (extension !== '' && options.isFile(base)) return base;
    for (const candidate of EXTENSIONS.map((ext) => base + ext)) if (options.isFile(candidate)) return candidate;
    for (const candidate of EXTENSIONS.map((ext) => `${base}/index${ext}`)) if (options.isFile(candidate)) return candidate;
    return options.isFile(base) ? base : undefined;
  };
  const packages = [...options.packages].sort((a, b) => b.name.length - a.name.length);
  return {
    resolve(specifier, importer) {
      if (isRelativeSpecifier(specifier)) {
        const specifiedPath = posix.normalize(posix.join(posix.dirname(importer), specifier)).replace(/\/$/, '');
        if (specifiedPath === '..' || specifiedPath.startsWith('../')) return { via: 'relative', specifiedPath };
        const file = probe(specifiedPath === '.' ? '' : specifiedPath);
        return file === undefined ? { via: 'relative', specifiedPath } : { via: 'relative', file, specifiedPath };
      }
      if (specifier.startsWith('/') || specifier.includes(':')) return undefined; // absolute, node:fs, URLs
      const candidates = expandAlias(specifier, options.aliases);
      if (candidates.length > 0) {
        for (const candidate of candidates) {
          const file = probe(candidate);
          if (file !== undefined) return { via: 'alias', file };
        }
        return { via: 'alias' };
      }
      for (const workspacePackage of packages) {
        if (specifier === workspacePackage.name) return workspacePackage.entry === undefined ? { via: 'package' } : { via: 'package', file: workspacePackage.entry };
        if (specifier.startsWith(`${workspacePackage.name}/`)) {
          const file = probe(posix.join(workspacePackage.root, specifier.slice(workspacePackage.name.length + 1)));
          return file === undefined ? { via: 'package' } : { via: 'package', file };
        }
      }
      return undefined;
    },
  };
}
