/** One word of a POSIX shell command: its unquoted value and where its raw text sits. */
export interface ShellWord {
  value: string;
  start: number;
  end: number;
}

/** A simple command between operators (`&&`, `||`, `;`, `|`, `&`, newline). */
export interface ShellSegment {
  words: ShellWord[];
}

/**
 * Splits a shell command line into simple commands and their words, honouring single and
 * double quotes and backslashes. Enough to find and rewrite one test runner invocation; no
 * expansion is performed (words keep `$VAR` and globs as written).
 */
export function splitShellCommand(text: string): ShellSegment[] {
  const segments: ShellSegment[] = [];
  let words: ShellWord[] = [];
  let value = '';
  let start = -1;
  const endWord = (end: number): void => {
    if (start >= 0) words.push({ value, start, end });
    value = '';
    start = -1;
  };
  const endSegment = (end: number): void => {
    endWord(end);
    if (words.length > 0) segments.push({ words });
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const next = text[i + 1];
    if (char === ' ' || char === '\t') {
      endWord(i);
      continue;
    }
    const inRedirect = start >= 0 && /[<>]$/.test(text.slice(start, i));
    if (char === '\n' || char === ';' || char === '|' || (char === '&' && next !== '>' && !inRedirect)) {
      endSegment(i);
      if ((char === '&' || char === '|') && next === char) i++;
      continue;
    }
    if (start < 0) start = i;
    if (char === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop;
    } else if (char === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1] as string)) j++;
        value += text[j];
      }
      i = j;
    } else if (char === '\\' && next !== undefined) {
      value += next;
      i++;
    } else {
      value += char;
    }
  }
  endSegment(text.length);
  return segments;
}

/** A word as the shell needs it written: bare when safe, else single-quoted. */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
