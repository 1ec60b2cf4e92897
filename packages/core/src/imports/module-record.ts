import { parseSync, type ParserOptions, type StaticExport, type StaticImport } from 'oxc-parser';

/** How a file names another module: `require` is a CommonJS `require('x')` call or TypeScript's `import x = require('x')`. */
export type ModuleImportKind = 'import' | 'export' | 'dynamic' | 'require';

/** One specifier a file imports or re-exports, as oxc-parser's module record gives it. */
export interface ModuleImport {
  kind: ModuleImportKind;
  /** The specifier as written, without quotes. */
  specifier: string;
  /** Offsets of the specifier's text inside its quotes: `source.slice(start, end) === specifier` (unescaped specifiers). */
  start: number;
  end: number;
  /** `import type`, `import { type X }` (every name a type), `export type ... from`, `import type x = require()`: no runtime dependency by the syntax. */
  typeOnly: boolean;
}

export interface ModuleRecord {
  imports: ModuleImport[];
  /** Set when the parser could not read the file: `line N: message`. Its imports are then unknown (empty). */
  error?: string;
}

/**
 * Reads the imports and re-exports of one JS/TS file from oxc-parser's module record: static
 * imports (`import type` and `import { type X }` marked), re-exports (`export type ... from`
 * marked) and `import()` with a literal specifier. The module record has no CommonJS: only a
 * file whose text has `require(` has its AST read too, for `require('x')` calls with a literal
 * argument and `import x = require('x')` (a local function named `require` counts as well: an
 * extra edge, never a missed one). A file with a syntax error yields no imports and the parser's
 * first message; the parser never throws for bad input, and if it ever did, that is reported the
 * same way.
 */
export function readModuleRecord(path: string, source: string): ModuleRecord {
  let result: ReturnType<typeof parseSync>;
  try {
    result = parseSync(path, source, parserOptionsFor(path));
  } catch (error) {
    return { imports: [], error: `the parser failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const firstError = result.errors.find((error) => error.severity === 'Error');
  if (firstError !== undefined) {
    const offset = firstError.labels[0]?.start;
    return { imports: [], error: `${offset === undefined ? '' : `line ${lineAt(source, offset)}: `}${firstError.message}` };
  }
  const module = result.module;
  const imports: ModuleImport[] = [];
  for (const statement of module.staticImports) imports.push(importOf(statement));
  for (const statement of module.staticExports) {
    const reexport = reexportOf(statement);
    if (reexport !== undefined) imports.push(reexport);
  }
  for (const dynamicImport of module.dynamicImports) {
    const literal = stringLiteral(source, dynamicImport.moduleRequest.start, dynamicImport.moduleRequest.end);
    if (literal !== undefined) imports.push({ kind: 'dynamic', specifier: literal, start: dynamicImport.moduleRequest.start + 1, end: dynamicImport.moduleRequest.end - 1, typeOnly: false });
  }
  if (MAY_REQUIRE.test(source)) imports.push(...requiresOf(result.program));
  return { imports };
}

/** Text any `require('x')` call or `import x = require('x')` has (a comment between `require` and `(` aside): files without it skip the AST. */
const MAY_REQUIRE = /\brequire\s*\(/;

/** `require('x')` calls and `import x = require('x')` declarations anywhere in the AST, in source order. */
function requiresOf(program: unknown): ModuleImport[] {
  const found: ModuleImport[] = [];
  const pending: unknown[] = [program];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const child of node) if (typeof child === 'object' && child !== null) pending.push(child);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (record.type === 'CallExpression' && isIdentifier(record.callee, 'require') && Array.isArray(record.arguments) && record.arguments.length === 1) {
      const argument = literalSpecifier(record.arguments[0]);
      if (argument !== undefined) found.push({ kind: 'require', ...argument, typeOnly: false });
    } else if (record.type === 'TSImportEqualsDeclaration' && isRecord(record.moduleReference) && record.moduleReference.type === 'TSExternalModuleReference') {
      const argument = literalSpecifier(record.moduleReference.expression);
      if (argument !== undefined) found.push({ kind: 'require', ...argument, typeOnly: record.importKind === 'type' });
    }
    for (const key in record) {
      const child = record[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A string literal or a template literal without substitutions: its value and the offsets inside its quotes. */
function literalSpecifier(node: unknown): { specifier: string; start: number; end: number } | undefined {
  if (!isRecord(node) || typeof node.start !== 'number' || typeof node.end !== 'number') return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return { specifier: node.value, start: node.start + 1, end: node.end - 1 };
  if (node.type !== 'TemplateLiteral' || !Array.isArray(node.expressions) || node.expressions.length > 0 || !Array.isArray(node.quasis)) return undefined;
  const quasi: unknown = node.quasis[0];
  const cooked = isRecord(quasi) && isRecord(quasi.value) ? quasi.value.cooked : undefined;
  return typeof cooked === 'string' ? { specifier: cooked, start: node.start + 1, end: node.end - 1 } : undefined;
}

function isIdentifier(node: unknown, name: string): boolean {
  return isRecord(node) && node.type === 'Identifier' && node.name === name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function importOf(statement: StaticImport): ModuleImport {
  const request = statement.moduleRequest;
  // `import './x'` binds nothing and runs the module: only a list of type names is type-only
  const typeOnly = statement.entries.length > 0 && statement.entries.every((entry) => entry.isType);
  return { kind: 'import', specifier: request.value, start: request.start + 1, end: request.end - 1, typeOnly };
}

/**
 * `export ... from 'x'`. The record also lists `import { a } from 'x'; export { a }` as an export
 * naming 'x'; there the specifier comes before the export, and the import already counts.
 */
function reexportOf(statement: StaticExport): ModuleImport | undefined {
  let found: ModuleImport | undefined;
  for (const entry of statement.entries) {
    const request = entry.moduleRequest;
    if (request === null || request.start < entry.start) continue;
    if (found === undefined) found = { kind: 'export', specifier: request.value, start: request.start + 1, end: request.end - 1, typeOnly: entry.isType };
    else found.typeOnly &&= entry.isType;
  }
  return found;
}

/** The value of a string literal (or a template literal without substitutions) between offsets; undefined for any other expression. */
function stringLiteral(source: string, start: number, end: number): string | undefined {
  const text = source.slice(start, end);
  const quote = text[0];
  if (text.length < 2 || text[text.length - 1] !== quote) return undefined;
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  const inner = text.slice(1, -1);
  if (inner.includes('\\') || (quote === '`' && inner.includes('${'))) return undefined;
  return inner;
}

/**
 * oxc-parser 0.159 on Node 20 serializes each file's whole AST to JSON in Rust, read or not (raw
 * transfer needs Node 22): that is most of a file's cost. The plain-JavaScript form of the AST
 * (`astType: 'js'`, no parenthesis nodes) is about 40% smaller for TypeScript and parses in about
 * 25% less time; the module record and the errors are the same (docs/BENCHMARKS.md, imports).
 */
const LEAN_AST = { astType: 'js', preserveParens: false } as const;

function parserOptionsFor(path: string): ParserOptions {
  if (/\.d\.[cm]?ts$/.test(path)) return { lang: 'dts', sourceType: 'module', ...LEAN_AST };
  if (path.endsWith('.tsx')) return { lang: 'tsx', sourceType: 'module', ...LEAN_AST };
  if (path.endsWith('.cts')) return { lang: 'ts', sourceType: 'commonjs', ...LEAN_AST };
  if (/\.m?ts$/.test(path)) return { lang: 'ts', sourceType: 'module', ...LEAN_AST };
  if (path.endsWith('.mjs')) return { lang: 'jsx', sourceType: 'module', ...LEAN_AST };
  if (path.endsWith('.cjs')) return { lang: 'jsx', sourceType: 'commonjs', ...LEAN_AST };
  // JSX in .js files is common; plain JavaScript parses the same. Scripts stay scripts.
  return { lang: 'jsx', sourceType: 'unambiguous', ...LEAN_AST };
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let index = source.indexOf('\n'); index !== -1 && index < offset; index = source.indexOf('\n', index + 1)) line++;
  return line;
}
