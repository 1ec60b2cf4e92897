// Every package a shipped bundle loads at run time must be declared by the package that ships it:
// an undeclared one resolves to whatever the user's workspace hoists (ajv 6 under pnpm) or to nothing.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGES, ROOT, bundleOptions, packageOf, requiredPackages, undeclaredPackages } from '../bundles.mjs';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;

const bundled = new Map<string, Promise<Map<string, string[]>>>();
/** The packages a package's bundles require, from esbuild's metafile of an in-memory build with the real options. */
function requiredBy(name: string): Promise<Map<string, string[]>> {
  if (!bundled.has(name)) {
    const result = build({ ...bundleOptions(name), write: false, metafile: true, logLevel: 'silent' });
    bundled.set(name, result.then((built) => requiredPackages(built.metafile, isBuiltin)));
  }
  return bundled.get(name)!;
}

describe('shipped bundles declare what they require', () => {
  it.each(Object.keys(PACKAGES))('%s: every third-party package its bundles load is a dependency or peer', async (name) => {
    const required = await requiredBy(name);
    expect(required.size).toBeGreaterThan(0);
    expect(undeclaredPackages(required, manifestOf(PACKAGES[name]!.dir))).toEqual([]);
  });

  it('no bundle loads another sixty package: they are bundled in, so the tarballs install without each other', async () => {
    for (const name of Object.keys(PACKAGES)) {
      const sixty = [...(await requiredBy(name)).keys()].filter((pkg) => pkg === 'sixty' || pkg.startsWith('@sixty/'));
      expect(sixty, name).toEqual([]);
      expect(Object.keys(manifestOf(PACKAGES[name]!.dir).dependencies ?? {}).filter((dep) => dep.startsWith('@sixty/')), name).toEqual([]);
    }
  });

  it('the Nx plugin loads the devkit through its peer nx, never @nx/devkit (whose newest major would not match the workspace nx)', async () => {
    const manifest = manifestOf(PACKAGES.nx!.dir);
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['nx']);
    expect([...(await requiredBy('nx')).keys()]).not.toContain('@nx/devkit');
  });

  it('reports an undeclared package with the outputs that load it, and skips builtins and peers', () => {
    const metafile = {
      inputs: {},
      outputs: {
        'dist/index.js': {
          bytes: 1,
          inputs: {},
          exports: [],
          imports: [
            { path: 'ajv', kind: 'require-call' as const, external: true },
            { path: 'node:fs', kind: 'require-call' as const, external: true },
            { path: 'path', kind: 'require-call' as const, external: true },
            { path: 'nx/src/devkit-exports', kind: 'require-call' as const, external: true },
            { path: '@scope/pkg/deep/file', kind: 'dynamic-import' as const, external: true },
            { path: 'jsonc-parser', kind: 'require-call' as const, external: true },
          ],
        },
      },
    };
    const required = requiredPackages(metafile, isBuiltin);
    expect([...required.keys()]).toEqual(['ajv', 'nx', '@scope/pkg', 'jsonc-parser']);
    const missing = undeclaredPackages(required, { dependencies: { 'jsonc-parser': '^3' }, peerDependencies: { nx: '>=20' } });
    expect(missing).toEqual([
      { name: 'ajv', outputs: ['dist/index.js'] },
      { name: '@scope/pkg', outputs: ['dist/index.js'] },
    ]);
    expect(packageOf('@scope/pkg')).toBe('@scope/pkg');
  });
});
