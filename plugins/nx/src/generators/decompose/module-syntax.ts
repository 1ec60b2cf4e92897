/**
 * The module syntax of one JS/TS file, read with a small lexer: every import/export specifier
 * (static, dynamic, require, test-runner mocks) with the exact offsets of its text, the names
 * each statement binds, and the names the file exports. Comments, strings, template literals
 * and regular expressions are skipped as tokens, so an `import` inside any of them is never
 * mistaken for one; only the specifier text is ever rewritten.
 */

export type ReferenceKind = 'import' | 'export' | 'dynamic' | 'require' | 'import-equals' | 'mock';

export interface ModuleReference {
  kind: ReferenceKind;
  /** The specifier as written (without quotes). */
  specifier: string;
  /** Offsets of the specifier text inside the quotes: `source.slice(start, end) === specifier`. */
  start: number;
  end: number;
  /** `import type` / `export type` (TypeScript): no runtime dependency. */
  typeOnly: boolean;
  /** What the statement takes from the module. */
  bindings: ReferenceBindings;
  /** Offsets of the whole statement, from its keyword to its `;` or specifier (static forms only). */
  statementStart: number;
  statementEnd: number;
}

export interface ReferenceBindings {
  /** `import x from`, `import x = require()`: the module's default export. */
  default: boolean;
  /** `import * as x from`, `export * as x from`. */
  namespace: boolean;
  /** `export * from`. */
  star: boolean;
  /** Names taken by `{ ... }` (`default` when the list names it). */
  named: string[];
}

export interface ModuleSyntax {
  references: ModuleReference[];
  /** Names the file declares and exports itself (`default` included), sorted. */
  exportedNames: string[];
  /** `export { imported as exported } from 'specifier'`: names it passes on from another module. */
  namedReexports: Array<{ exported: string; imported: string; specifier: string }>;
  /** Specifiers of `export * from` (their names are exported too). */
  starExportSpecifiers: string[];
  /** An export whose names the lexer cannot list (destructuring, `export =`). */
  hasUnlistedExports: boolean;
}

type TokenType = 'name' | 'string' | 'punct' | 'template' | 'regex' | 'number';

interface Token {
  type: TokenType;
  value: string;
  start: number;
  end: number;
  /** Strings only: a backslash escape inside, so `value` is not the literal text. */
  escaped?: boolean;
}

/** After these names a `/` starts a regular expression; after any other name it divides. */
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'extends',
]);

const MOCK_OBJECTS = new Set(['jest', 'vi']);
const MOCK_METHODS = new Set(['mock', 'doMock', 'unmock', 'dontMock', 'setMock', 'requireActual', 'requireMock', 'importActual', 'importMock']);
const DECLARATION_MODIFIERS = new Set(['declare', 'abstract', 'async', 'const']);

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code >= 128;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

/** Splits source text into the tokens that matter for module syntax. Never throws. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  /** One entry per open `{`: true when it opened a template substitution `${`. */
  const braces: boolean[] = [];
  const length = source.length;
  let index = 0;
  if (source.startsWith('#!')) index = lineEnd(source, 0);

  const regexAllowed = (): boolean => {
    const previous = tokens[tokens.length - 1];
    if (!previous) return true;
    if (previous.type === 'name') return KEYWORDS_BEFORE_EXPRESSION.has(previous.value);
    if (previous.type === 'punct') return previous.value !== ')' && previous.value !== ']';
    return false;
  };

  /** Reads template characters from `from` (just after ` or a closing `}`) to the closing ` or the next `${`. */
  const readTemplate = (from: number, tokenStart: number): number => {
    let at = from;
    while (at < length) {
      const code = source.charCodeAt(at);
      if (code === 92) {
        at += 2;
      } else if (code === 96) {
        tokens.push({ type: 'template', value: '', start: tokenStart, end: at + 1 });
        return at + 1;
      } else if (code === 36 && source.charCodeAt(at + 1) === 123) {
        braces.push(true);
        tokens.push({ type: 'template', value: '', start: tokenStart, end: at + 2 });
        return at + 2;
      } else {
        at++;
      }
    }
    tokens.push({ type: 'template', value: '', start: tokenStart, end: length });
    return length;
  };

  while (index < length) {
    const code = source.charCodeAt(index);
    if (code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 0xfeff || code === 0xa0 || code === 0x2028 || code === 0x2029) {
      index++;
      continue;
    }
    if (code === 47) {
      const next = source.charCodeAt(index + 1);
      if (next === 47) {
        index = lineEnd(source, index);
        continue;
      }
      if (next === 42) {
        const close = source.indexOf('*/', index + 2);
        index = close === -1 ? length : close + 2;
        continue;
      }
      if (regexAllowed()) {
        const end = regexEnd(source, index);
        if (end !== -1) {
          tokens.push({ type: 'regex', value: '', start: index, end });
          index = end;
          continue;
        }
      }
      tokens.push({ type: 'punct', value: '/', start: index, end: index + 1 });
      index++;
      continue;
    }
    if (code === 39 || code === 34) {
      const token = readString(source, index, code);
      if (token) {
        tokens.push(token);
        index = token.end;
      } else {
        // unterminated on its line (an apostrophe in JSX text): resume on the next line
        index = lineEnd(source, index);
      }
      continue;
    }
    if (code === 96) {
      index = readTemplate(index + 1, index);
      continue;
    }
    if (isIdentifierStart(code) || code === 35) {
      let end = index + 1;
      while (end < length && isIdentifierPart(source.charCodeAt(end))) end++;
      tokens.push({ type: 'name', value: source.slice(index, end), start: index, end });
      index = end;
      continue;
    }
    if (code >= 48 && code <= 57) {
      let end = index + 1;
      while (end < length && (isIdentifierPart(source.charCodeAt(end)) || source.charCodeAt(end) === 46)) end++;
      tokens.push({ type: 'number', value: source.slice(index, end), start: index, end });
      index = end;
      continue;
    }
    if (code === 123) {
      braces.push(false);
      tokens.push({ type: 'punct', value: '{', start: index, end: index + 1 });
      index++;
      continue;
    }
    if (code === 125) {
      if (braces.pop() === true) {
        index = readTemplate(index + 1, index);
        continue;
      }
      tokens.push({ type: 'punct', value: '}', start: index, end: index + 1 });
      index++;
      continue;
    }
    if (code === 46 && source.startsWith('...', index)) {
      tokens.push({ type: 'punct', value: '...', start: index, end: index + 3 });
      index += 3;
      continue;
    }
    if (code === 46 && source.charCodeAt(index + 1) >= 48 && source.charCodeAt(index + 1) <= 57) {
      let end = index + 1;
      while (end < length && isIdentifierPart(source.charCodeAt(end))) end++;
      tokens.push({ type: 'number', value: source.slice(index, end), start: index, end });
      index = end;
      continue;
    }
    if (code === 63 && source.charCodeAt(index + 1) === 46) {
      tokens.push({ type: 'punct', value: '?.', start: index, end: index + 2 });
      index += 2;
      continue;
    }
    tokens.push({ type: 'punct', value: source[index] as string, start: index, end: index + 1 });
    index++;
  }
  return tokens;
}

function lineEnd(source: string, from: number): number {
  const newline = source.indexOf('\n', from);
  return newline === -1 ? source.length : newline + 1;
}

function readString(source: string, start: number, quote: number): Token | undefined {
  let at = start + 1;
  let escaped = false;
  while (at < source.length) {
    const code = source.charCodeAt(at);
    if (code === quote) {
      return { type: 'string', value: source.slice(start + 1, at), start, end: at + 1, ...(escaped ? { escaped } : {}) };
    }
    if (code === 92) {
      escaped = true;
      at += 2;
      continue;
    }
    if (code === 10 || code === 13) return undefined;
    at++;
  }
  return undefined;
}

/** End offset of the regular expression literal starting at `start`, or -1 when it is not one. */
function regexEnd(source: string, start: number): number {
  let at = start + 1;
  let inClass = false;
  while (at < source.length) {
    const code = source.charCodeAt(at);
    if (code === 10 || code === 13) return -1;
    if (code === 92) {
      at += 2;
      continue;
    }
    if (code === 91) inClass = true;
    else if (code === 93) inClass = false;
    else if (code === 47 && !inClass) {
      at++;
      while (at < source.length && isIdentifierPart(source.charCodeAt(at))) at++;
      return at;
    }
    at++;
  }
  return -1;
}

const NO_BINDINGS: ReferenceBindings = { default: false, namespace: false, star: false, named: [] };

/** Reads the module syntax of one file. Never throws; what it cannot read it leaves out. */
export function readModuleSyntax(source: string): ModuleSyntax {
  const tokens = tokenize(source);
  const references: ModuleReference[] = [];
  const exported = new Set<string>();
  const starExportSpecifiers: string[] = [];
  const namedReexports: Array<{ exported: string; imported: string; specifier: string }> = [];
  /** `import { a as b } from 's'`: b -> a from s, so `export { b }` passes on s's a, not a name of its own. */
  const importedLocals = new Map<string, { imported: string; specifier: string }>();
  /** `export { a as b }` without `from`, resolved once every import is known (imports hoist). */
  const localExports: Array<{ from: string; to: string }> = [];
  let hasUnlistedExports = false;

  const at = (index: number): Token | undefined => tokens[index];
  const is = (index: number, type: TokenType, value?: string): boolean => {
    const token = tokens[index];
    return token !== undefined && token.type === type && (value === undefined || token.value === value);
  };
  const isMemberAccess = (index: number): boolean => is(index - 1, 'punct', '.') || is(index - 1, 'punct', '?.');
  const statementEnd = (stringIndex: number): number => {
    const semicolon = at(stringIndex + 1);
    return semicolon && semicolon.type === 'punct' && semicolon.value === ';' ? semicolon.end : (at(stringIndex) as Token).end;
  };
  const reference = (kind: ReferenceKind, stringIndex: number, keywordIndex: number, typeOnly: boolean, bindings: ReferenceBindings): void => {
    const token = at(stringIndex) as Token;
    if (token.escaped) return; // a specifier with escapes is left alone rather than guessed at
    references.push({
      kind,
      specifier: token.value,
      start: token.start + 1,
      end: token.end - 1,
      typeOnly,
      bindings,
      statementStart: (at(keywordIndex) as Token).start,
      statementEnd: statementEnd(stringIndex),
    });
  };
  /** Parses `{ a, b as c, type d, 'x' as e }` at `open`; returns the index after `}` and the pairs. */
  const namedList = (open: number): { next: number; pairs: Array<{ from: string; to: string }> } | undefined => {
    const pairs: Array<{ from: string; to: string }> = [];
    let index = open + 1;
    while (index < tokens.length && !is(index, 'punct', '}')) {
      if (is(index, 'name', 'type') && (is(index + 1, 'name') || is(index + 1, 'string')) && !is(index + 1, 'name', 'as')) index++;
      const first = at(index);
      if (!first || (first.type !== 'name' && first.type !== 'string')) return undefined;
      let to = first.value;
      index++;
      if (is(index, 'name', 'as')) {
        const alias = at(index + 1);
        if (!alias || (alias.type !== 'name' && alias.type !== 'string')) return undefined;
        to = alias.value;
        index += 2;
      }
      pairs.push({ from: first.value, to });
      if (is(index, 'punct', ',')) index++;
      else if (!is(index, 'punct', '}')) return undefined;
    }
    return index < tokens.length ? { next: index + 1, pairs } : undefined;
  };

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.type !== 'name' || isMemberAccess(index)) continue;

    if (token.value === 'import') {
      if (is(index + 1, 'string')) {
        reference('import', index + 1, index, false, NO_BINDINGS);
        continue;
      }
      if (is(index + 1, 'punct', '(')) {
        if (is(index + 2, 'string') && (is(index + 3, 'punct', ')') || is(index + 3, 'punct', ','))) reference('dynamic', index + 2, index, false, NO_BINDINGS);
        continue;
      }
      let cursor = index + 1;
      let typeOnly = false;
      if (is(cursor, 'name', 'type') && ((is(cursor + 1, 'name') && !is(cursor + 1, 'name', 'from')) || is(cursor + 1, 'punct', '{') || is(cursor + 1, 'punct', '*'))) {
        typeOnly = true;
        cursor++;
      }
      if (is(cursor, 'name') && is(cursor + 1, 'punct', '=')) {
        if (is(cursor + 2, 'name', 'require') && is(cursor + 3, 'punct', '(') && is(cursor + 4, 'string')) {
          reference('import-equals', cursor + 4, index, typeOnly, { ...NO_BINDINGS, default: true });
          index = cursor + 4; // its require() is this statement's, not another reference
        }
        continue;
      }
      const bindings: ReferenceBindings = { default: false, namespace: false, star: false, named: [] };
      const locals: Array<{ local: string; imported: string }> = [];
      if (is(cursor, 'name') && !is(cursor, 'name', 'from')) {
        bindings.default = true;
        locals.push({ local: (at(cursor) as Token).value, imported: 'default' });
        cursor++;
        if (is(cursor, 'punct', ',')) cursor++;
      } else if (is(cursor, 'name', 'from') && is(cursor + 1, 'name', 'from')) {
        bindings.default = true; // import from from 'x'
        cursor++;
      }
      if (is(cursor, 'punct', '*') && is(cursor + 1, 'name', 'as') && is(cursor + 2, 'name')) {
        bindings.namespace = true;
        cursor += 3;
      } else if (is(cursor, 'punct', '{')) {
        const list = namedList(cursor);
        if (!list) continue;
        bindings.named = list.pairs.map((pair) => pair.from);
        if (bindings.named.includes('default')) bindings.default = true;
        for (const pair of list.pairs) locals.push({ local: pair.to, imported: pair.from });
        cursor = list.next;
      }
      if (is(cursor, 'name', 'from') && is(cursor + 1, 'string')) {
        reference('import', cursor + 1, index, typeOnly, bindings);
        const specifier = (at(cursor + 1) as Token).value;
        for (const { local, imported } of locals) importedLocals.set(local, { imported, specifier });
      }
      continue;
    }

    if (token.value === 'export') {
      let cursor = index + 1;
      let typeOnly = false;
      if (is(cursor, 'name', 'type') && (is(cursor + 1, 'punct', '{') || is(cursor + 1, 'punct', '*'))) {
        typeOnly = true;
        cursor++;
      }
      if (is(cursor, 'punct', '*')) {
        if (is(cursor + 1, 'name', 'as') && (is(cursor + 2, 'name') || is(cursor + 2, 'string')) && is(cursor + 3, 'name', 'from') && is(cursor + 4, 'string')) {
          exported.add((at(cursor + 2) as Token).value);
          reference('export', cursor + 4, index, typeOnly, { ...NO_BINDINGS, namespace: true });
        } else if (is(cursor + 1, 'name', 'from') && is(cursor + 2, 'string')) {
          starExportSpecifiers.push((at(cursor + 2) as Token).value);
          reference('export', cursor + 2, index, typeOnly, { ...NO_BINDINGS, star: true });
        }
        continue;
      }
      if (is(cursor, 'punct', '{')) {
        const list = namedList(cursor);
        if (!list) continue;
        if (is(list.next, 'name', 'from') && is(list.next + 1, 'string')) {
          const named = list.pairs.map((pair) => pair.from);
          const specifier = (at(list.next + 1) as Token).value;
          for (const pair of list.pairs) namedReexports.push({ exported: pair.to, imported: pair.from, specifier });
          reference('export', list.next + 1, index, typeOnly, { ...NO_BINDINGS, default: named.includes('default'), named });
        } else {
          localExports.push(...list.pairs);
        }
        continue;
      }
      if (is(cursor, 'name', 'default')) {
        exported.add('default');
        continue;
      }
      if (is(cursor, 'punct', '=')) {
        hasUnlistedExports = true; // export = x (CommonJS-style)
        continue;
      }
      if (is(cursor, 'name', 'as')) continue; // export as namespace X (UMD globals)
      if (is(cursor, 'name', 'import') && is(cursor + 1, 'name') && is(cursor + 2, 'punct', '=')) {
        exported.add((at(cursor + 1) as Token).value); // export import A = B.C
        continue;
      }
      while (is(cursor, 'name') && DECLARATION_MODIFIERS.has((at(cursor) as Token).value) && !is(cursor + 1, 'punct', '=')) {
        if ((at(cursor) as Token).value === 'const' && !is(cursor + 1, 'name', 'enum')) break;
        cursor++;
      }
      const keyword = at(cursor);
      if (!keyword || keyword.type !== 'name') continue;
      if (keyword.value === 'const' || keyword.value === 'let' || keyword.value === 'var' || keyword.value === 'using') {
        if (is(cursor + 1, 'name')) exported.add((at(cursor + 1) as Token).value);
        else hasUnlistedExports = true; // destructuring
        continue;
      }
      if (keyword.value === 'function') {
        const name = is(cursor + 1, 'punct', '*') ? cursor + 2 : cursor + 1;
        if (is(name, 'name')) exported.add((at(name) as Token).value);
        continue;
      }
      if (['class', 'enum', 'interface', 'type', 'namespace', 'module'].includes(keyword.value) && is(cursor + 1, 'name')) {
        exported.add((at(cursor + 1) as Token).value);
      }
      continue;
    }

    if (token.value === 'require' && is(index + 1, 'punct', '(') && is(index + 2, 'string') && is(index + 3, 'punct', ')')) {
      reference('require', index + 2, index, false, { ...NO_BINDINGS, default: true });
      continue;
    }
    if (token.value === 'require' && is(index + 1, 'punct', '.') && is(index + 2, 'name', 'resolve') && is(index + 3, 'punct', '(') && is(index + 4, 'string')) {
      reference('require', index + 4, index, false, NO_BINDINGS);
      continue;
    }
    if (MOCK_OBJECTS.has(token.value) && is(index + 1, 'punct', '.') && is(index + 2, 'name') && MOCK_METHODS.has((at(index + 2) as Token).value)) {
      if (is(index + 3, 'punct', '(') && is(index + 4, 'string')) reference('mock', index + 4, index, false, NO_BINDINGS);
    }
  }
  for (const pair of localExports) {
    const binding = importedLocals.get(pair.from);
    if (binding === undefined) exported.add(pair.to);
    else namedReexports.push({ exported: pair.to, imported: binding.imported, specifier: binding.specifier });
  }
  return { references, exportedNames: [...exported].sort(), namedReexports, starExportSpecifiers, hasUnlistedExports };
}

export interface SpecifierEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order) to a source text. */
export function applyEdits(source: string, edits: readonly SpecifierEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let result = source;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > limit) continue; // overlapping: the later edit wins, this one is dropped
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}
