// What each shipped package bundles: its entry points and the esbuild options. Shared by the build
// (tools/build.mjs) and the check that every bundle's run-time require is a declared dependency.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each package: its folder and its entry points (source path -> dist name, without extension). */
export const PACKAGES = {
  // import-graph-worker: readImportGraph's helper threads, next to every bundle that contains it;
  // imports: the import graph alone (@sixty/core/dist/imports), for a process that needs only it:
  // it loads in a fraction of the whole core's time (docs/BENCHMARKS.md, imports)
  core: {
    dir: 'packages/core',
    entries: { 'src/index.ts': 'index', 'src/imports/index.ts': 'imports', 'src/imports/import-graph-worker.ts': 'import-graph-worker' },
    declarations: { 'imports.d.ts': "export * from './imports/index';\n" },
  },
  agent: { dir: 'packages/agent', entries: { 'src/index.ts': 'index' } },
  nx: {
    dir: 'plugins/nx',
    entries: {
      'src/index.ts': 'index',
      'src/generators/init/generator.ts': 'generators/init/generator',
      'src/generators/decompose/generator.ts': 'generators/decompose/generator',
      'src/generators/inputs/generator.ts': 'generators/inputs/generator',
    },
    copy: {
      'src/generators/init/schema.json': 'generators/init/schema.json',
      'src/generators/decompose/schema.json': 'generators/decompose/schema.json',
      'src/generators/inputs/schema.json': 'generators/inputs/schema.json',
    },
  },
  cli: {
    dir: 'packages/cli',
    entries: { 'src/main.ts': 'cli', 'src/index.ts': 'index', '../core/src/imports/import-graph-worker.ts': 'import-graph-worker' },
  },
};

// Our own packages are bundled into each output (so the nx hook loads one small file and the
// tarballs need no dependency on each other); third-party packages stay external and are resolved
// from node_modules at run time, so each must be a declared dependency of the package shipping it.
const WORKSPACE_ALIASES = {
  '@sixty/core': join(ROOT, 'packages/core/src/index.ts'),
  '@sixty/agent': join(ROOT, 'packages/agent/src/index.ts'),
};
const bundleWorkspaceOnly = {
  name: 'bundle-workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (WORKSPACE_ALIASES[args.path]) return { path: WORKSPACE_ALIASES[args.path] };
      return { path: args.path, external: true };
    });
  },
};

/** esbuild options that bundle one package (name: a key of PACKAGES) into its dist folder. */
export function bundleOptions(name) {
  const pkg = PACKAGES[name];
  return {
    entryPoints: Object.entries(pkg.entries).map(([src, out]) => ({ in: join(ROOT, pkg.dir, src), out })),
    outdir: join(ROOT, pkg.dir, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [bundleWorkspaceOnly],
  };
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The third-party packages an esbuild metafile's outputs load at run time (require, import()),
 * each with the outputs that load it. Node builtins are not packages.
 */
export function requiredPackages(metafile, isBuiltin) {
  const required = new Map();
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    for (const entry of meta.imports) {
      if (!entry.external || entry.path.startsWith('node:') || entry.path.startsWith('.') || isBuiltin(entry.path)) continue;
      const name = packageOf(entry.path);
      required.set(name, [...(required.get(name) ?? []), output]);
    }
  }
  return required;
}

/** Required packages the manifest declares neither as a dependency nor as a peer, with who loads them. */
export function undeclaredPackages(required, manifest) {
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  return [...required].filter(([name]) => !declared.has(name)).map(([name, outputs]) => ({ name, outputs: [...new Set(outputs)] }));
}
