// Types of tools/bundles.mjs for the TypeScript tests that use it.
import type { BuildOptions, Metafile } from 'esbuild';

export const ROOT: string;
export const PACKAGES: Record<string, { dir: string; entries: Record<string, string>; copy?: Record<string, string> }>;
export function bundleOptions(name: string): BuildOptions;
export function packageOf(specifier: string): string;
export function requiredPackages(metafile: Metafile, isBuiltin: (specifier: string) => boolean): Map<string, string[]>;
export function undeclaredPackages(
  required: Map<string, string[]>,
  manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> },
): Array<{ name: string; outputs: string[] }>;
