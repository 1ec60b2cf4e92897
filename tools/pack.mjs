#!/usr/bin/env node
// Writes installable tarballs of sixty's four packages into one folder (default dist-pack/):
//   npm run pack                       (builds first, then packs)
//   node tools/pack.mjs [--out <dir>]  (packs what is built)
// Install from it with `npm i -D <dir>/*.tgz` or `pnpm add -D -w --config.catalog-mode=manual <dir>/*.tgz`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PACKAGES, ROOT } from './bundles.mjs';

export const DEFAULT_PACK_DIR = join(ROOT, 'dist-pack');

/** Packs every package into `out` (emptied first); returns the tarball paths. */
export function packAll(out = DEFAULT_PACK_DIR) {
  const dirs = Object.values(PACKAGES).map((pkg) => pkg.dir);
  const unbuilt = dirs.filter((dir) => !existsSync(join(ROOT, dir, 'dist', 'index.js')));
  if (unbuilt.length > 0) {
    throw new Error(`pack: ${unbuilt.join(', ')} not built; run \`npm run build\` first (or \`npm run pack\`, which builds)`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const workspaces = dirs.flatMap((dir) => ['-w', dir]);
  execFileSync(npm, ['pack', '--silent', '--pack-destination', out, ...workspaces], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarballs = readdirSync(out).filter((file) => file.endsWith('.tgz')).sort();
  if (tarballs.length !== dirs.length) throw new Error(`pack: expected ${dirs.length} tarballs in ${out}, found ${tarballs.length}`);
  return tarballs.map((file) => join(out, file));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? resolve(args[outIndex + 1] ?? '') : DEFAULT_PACK_DIR;
  if (outIndex >= 0 && !args[outIndex + 1]) {
    console.error('pack: --out needs a directory');
    process.exit(2);
  }
  try {
    const tarballs = packAll(out);
    console.log(`packed ${tarballs.length} tarballs into ${out}:`);
    for (const file of tarballs) console.log(`  ${relative(out, file)}`);
    console.log(`install into an Nx workspace with:\n  npm i -D ${out}/*.tgz\n  pnpm add -D -w --config.catalog-mode=manual ${out}/*.tgz   (pnpm workspace root)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
