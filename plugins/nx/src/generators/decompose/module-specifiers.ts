import { posix } from 'node:path';

/** How a workspace writes relative imports of TypeScript files: `./a.js` (NodeNext), `./a.ts`, or `./a`. */
export type TypeScriptSpecifierStyle = 'js' | 'ts' | 'none';

const TS_EXTENSION = /\.(tsx?|mts|cts)$/;
const JS_FOR_TS: Record<string, string> = { ts: '.js', tsx: '.js', mts: '.mjs', cts: '.cjs' };

/** `./x` style relative specifier from a file to a path (both workspace-relative). */
export function relativeSpecifier(fromFile: string, toPath: string): string {
  const path = posix.relative(posix.dirname(fromFile), toPath);
  if (path === '') return '.';
  return path.startsWith('../') || path === '..' ? path : `./${path}`;
}

/** The specifier a file uses for a module file, written in the workspace's style. */
export function moduleSpecifier(fromFile: string, toFile: string, style: TypeScriptSpecifierStyle): string {
  const match = TS_EXTENSION.exec(toFile);
  if (!match || style === 'ts') return relativeSpecifier(fromFile, toFile);
  const stem = toFile.slice(0, -match[0].length);
  return relativeSpecifier(fromFile, style === 'js' ? stem + JS_FOR_TS[match[1] as string] : stem);
}

/** The style most relative imports of TypeScript files use (`none` when there are none). */
export function detectSpecifierStyle(specifiers: Iterable<{ importer: string; specifier: string }>): TypeScriptSpecifierStyle {
  const counts = { js: 0, ts: 0, none: 0 };
  for (const { importer, specifier } of specifiers) {
    if (!TS_EXTENSION.test(importer) || !specifier.startsWith('.')) continue;
    if (/\.[cm]?jsx?$/.test(specifier)) counts.js++;
    else if (TS_EXTENSION.test(specifier)) counts.ts++;
    else counts.none++;
  }
  if (counts.js > counts.none && counts.js >= counts.ts) return 'js';
  if (counts.ts > counts.none) return 'ts';
  return 'none';
}

/** A specifier that names a package (not a path, not a builtin written node:x, not a URL). */
export function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':') && specifier !== '';
}
