/**
 * A cheap lexer pass over import statements. Comments are blanked first; strings are kept (they
 * hold the specifiers). Regular expressions over source text: approximate by design, and only
 * used where esbuild says nothing (type-only imports, files it could not parse).
 */

const COMMENT_OR_STRING = /\/\*[\s\S]*?\*\/|\/\/[^\n\r]*|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"|`(?:[^`\\]|\\[\s\S])*`/g;
/** `import ... from 'x'`, `import type ... from 'x'`, `export ... from 'x'`, `export type ... from 'x'`. */
const FROM_CLAUSE = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*(['"])([^'"\n\r]+)\1/g;
/** `import x = require('x')` (TypeScript import-equals). */
const IMPORT_EQUALS = /\bimport\s+(?:type\s+)?[\w$]+\s*=\s*require\s*\(\s*(['"])([^'"\n\r]+)\1\s*\)/g;
/** Only `import type ... from 'x'` and `export type ... from 'x'`. */
const TYPE_FROM_CLAUSE = /\b(?:import|export)\s+type\s[^'"`;]*?\bfrom\s*(['"])([^'"\n\r]+)\1/g;
const TYPE_IMPORT_EQUALS = /\bimport\s+type\s+[\w$]+\s*=\s*require\s*\(\s*(['"])([^'"\n\r]+)\1\s*\)/g;
/** A file without this has no type-only import statement: most files skip the lexer. */
export const TYPE_IMPORT_HINT = /\b(?:import|export)\s+type\b/;

/** Specifiers of every static import and re-export (`import type` included), once each. */
export function staticImportSpecifiers(source: string): string[] {
  return specifiersMatching(source, [FROM_CLAUSE, IMPORT_EQUALS]);
}

/**
 * Specifiers of `import type` / `export type ... from` statements: the imports esbuild drops
 * without a trace. (Imports TypeScript elides because they are only used as types still show
 * in esbuild's metafile, unresolved.)
 */
export function typeOnlyImportSpecifiers(source: string): string[] {
  if (!TYPE_IMPORT_HINT.test(source)) return [];
  return specifiersMatching(source, [TYPE_FROM_CLAUSE, TYPE_IMPORT_EQUALS]);
}

function specifiersMatching(source: string, patterns: readonly RegExp[]): string[] {
  const code = source.replace(COMMENT_OR_STRING, (match) => (match.startsWith('/') ? ' ' : match));
  const specifiers = new Set<string>();
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(code); match !== null; match = pattern.exec(code)) specifiers.add(match[2] as string);
  }
  return [...specifiers];
}
