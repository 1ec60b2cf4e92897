/**
 * Test file globs as runners write them (`test/*.test.js`, `**\/*.{test,spec}.?(c|m)[jt]s?(x)`),
 * compiled to regular expressions over `/`-separated relative paths. Supports `**` segments,
 * `*`, `?`, `[...]`, `{a,b}` and the extglobs `?()`, `*()`, `+()`, `@()`; enough for the
 * runners' own defaults and the globs commands pass. Dot files match only when named.
 */
export function globToRegExp(pattern: string): RegExp {
  const cleaned = pattern.replace(/^\.\//, '');
  return new RegExp(`^${segmentsSource(cleaned.split('/'))}$`);
}

/** The leading directory of a glob that holds no wildcard: where a walk can start. */
export function globBase(pattern: string): string {
  const segments = pattern.replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/');
}

/** True when the glob can match below a fixed depth (it has a `**` segment). */
export function globIsRecursive(pattern: string): boolean {
  return pattern.split('/').some((segment) => segment.includes('**'));
}

function segmentsSource(segments: string[]): string {
  let source = '';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      // zero or more directories; a trailing ** matches everything below
      source += last ? '(?:(?!\\.)[^/]+(?:/(?!\\.)[^/]+)*)?' : '(?:[^/.][^/]*/)*';
      return;
    }
    source += segmentSource(segment);
    if (!last) source += '/';
  });
  return source;
}

function segmentSource(segment: string): string {
  // a segment that does not start with a literal dot never matches a dot file
  const guard = segment.startsWith('.') ? '' : '(?!\\.)';
  return guard + expression(segment, { at: 0 }, '');
}

/** Translates glob text up to `stop` (a closing bracket of a group, or end of text). */
function expression(text: string, cursor: { at: number }, stop: string): string {
  let out = '';
  while (cursor.at < text.length) {
    const char = text[cursor.at] as string;
    if (stop.includes(char)) return out;
    const next = text[cursor.at + 1];
    if ('?*+@!'.includes(char) && next === '(') {
      cursor.at += 2;
      const alternatives = group(text, cursor, '|)');
      const body = `(?:${alternatives.join('|')})`;
      out += char === '?' ? `${body}?` : char === '*' ? `${body}*` : char === '+' ? `${body}+` : char === '@' ? body : `(?!${body})[^/]*`;
      continue;
    }
    cursor.at++;
    if (char === '*') {
      while (text[cursor.at] === '*') cursor.at++;
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = text.indexOf(']', cursor.at + 1);
      if (close === -1) {
        out += '\\[';
      } else {
        let body = text.slice(cursor.at, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        cursor.at = close + 1;
      }
    } else if (char === '{') {
      const alternatives = group(text, cursor, ',}');
      out += `(?:${alternatives.join('|')})`;
    } else {
      out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}

/** Reads `a|b)` or `a,b}` after the opening bracket; returns the translated alternatives. */
function group(text: string, cursor: { at: number }, separators: string): string[] {
  const [separator, close] = [separators[0] as string, separators[1] as string];
  const alternatives: string[] = [];
  for (;;) {
    alternatives.push(expression(text, cursor, separators));
    const char = text[cursor.at];
    cursor.at++;
    if (char === separator) continue;
    if (char === close || char === undefined) return alternatives;
  }
}
