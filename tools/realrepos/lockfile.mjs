// Scripted lockfile repair for packages the registry reachable here cannot serve: they leave
// package.json and pnpm-lock.yaml, so that the frozen install (and pnpm's supply-chain checks,
// which look every lockfile entry up before installing) see a consistent pair.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const indentOf = (line) => line.length - line.trimStart().length;

/**
 * Drops every YAML key naming one of `scopes` (e.g. '@oxc-angular/') from a pnpm lockfile, with
 * everything nested under it: the importer's entry, the package and snapshot entries, and the
 * lines that list it as a dependency of another package. Returns the new text and the count.
 */
export function dropFromPnpmLock(text, scopes) {
  const lines = text.split('\n');
  const kept = [];
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    const key = lines[i].trimStart().replace(/^['"]/, '');
    if (!scopes.some((scope) => key.startsWith(scope))) {
      kept.push(lines[i]);
      continue;
    }
    dropped++;
    const indent = indentOf(lines[i]);
    while (i + 1 < lines.length && lines[i + 1].trim() && indentOf(lines[i + 1]) > indent) i++;
    if (indent === 2 && lines[i + 1] === '') i++; // a top-level entry's trailing blank line
  }
  return { text: kept.join('\n'), dropped };
}

/**
 * Removes `names` from the root manifest of `dir`, and every lockfile key that starts with one of
 * `lockKeys` (a package's platform bindings: @oxc-angular/vite brings @oxc-angular/binding-*).
 */
export function removeDependencies(dir, names, lockKeys) {
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  for (const name of names) for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) delete manifest[field]?.[name];
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const lockFile = join(dir, 'pnpm-lock.yaml');
  const { text, dropped } = dropFromPnpmLock(readFileSync(lockFile, 'utf8'), lockKeys);
  writeFileSync(lockFile, text);
  return dropped;
}
