#!/usr/bin/env node
// Builds sixty's packages: esbuild bundles (CommonJS, Node 20) plus declaration files from tsc.
// Usage: node tools/build.mjs [core|agent|cli|nx ...] [--no-types]   (default: all packages)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGES, ROOT as root, bundleOptions } from './bundles.mjs';

const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const withTypes = !args.includes('--no-types');
const names = args.filter((a) => !a.startsWith('--'));
const selected = names.length ? names : Object.keys(PACKAGES);
for (const name of selected) {
  if (!PACKAGES[name]) {
    console.error(`build: unknown package "${name}"; expected one of ${Object.keys(PACKAGES).join(', ')}`);
    process.exit(2);
  }
}

const started = Date.now();
for (const name of selected) {
  const pkg = PACKAGES[name];
  const dist = join(root, pkg.dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  await build(bundleOptions(name));
  for (const [src, out] of Object.entries(pkg.copy ?? {})) {
    mkdirSync(dirname(join(dist, out)), { recursive: true });
    cpSync(join(root, pkg.dir, src), join(dist, out));
  }
}

if (withTypes) {
  // One tsc pass emits declarations for every selected package; each gets its own subtree.
  const config = join(root, '.tsbuild', 'tsconfig.types.json');
  mkdirSync(dirname(config), { recursive: true });
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../tsconfig.build.json',
      include: selected.map((name) => `../${PACKAGES[name].dir}/src`),
      exclude: ['../**/*.json'],
    }),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit', cwd: root });
  for (const name of selected) {
    const typesDir = join(root, '.tsbuild', 'types', PACKAGES[name].dir, 'src');
    if (existsSync(typesDir)) cpSync(typesDir, join(root, PACKAGES[name].dir, 'dist'), { recursive: true });
    // the declarations of an entry other than index (dist/imports.d.ts for dist/imports.js)
    for (const [file, text] of Object.entries(PACKAGES[name].declarations ?? {})) writeFileSync(join(root, PACKAGES[name].dir, 'dist', file), text);
  }
}
console.log(`built ${selected.join(', ')} in ${Date.now() - started} ms`);
