import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/** A real directory tree under the OS temp dir: path -> content. Returns its absolute (real) path. */
export function writeTree(files: Record<string, string>, prefix = 'sixty-imports-'): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  addFiles(root, files);
  return root;
}

export function addFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** `tree(files)` for a describe block: each tree written is removed after its test. */
export function treesRemovedAfterEach(): (files: Record<string, string>) => string {
  const roots: string[] = [];
  afterEach(() => {
    while (roots.length > 0) removeTree(roots.pop() as string);
  });
  return (files) => {
    const root = writeTree(files);
    roots.push(root);
    return root;
  };
}
