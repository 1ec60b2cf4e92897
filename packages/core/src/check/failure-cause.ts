/**
 * The cause of a failed task read from its output: the error message, the expected/received
 * lines under it, and where it happened (the first file:line in the user's code). Knows the
 * shapes vitest, jest, mocha, node's test runner, playwright, tsc, eslint and esbuild print
 * (test/fixtures/failures/ holds their real outputs).
 */
export interface FailureCause {
  /** The lines that say what went wrong, ready to show (message first, then the diff). */
  lines: string[];
  /** `path:line:column` (or `path:line`) of the first frame in the user's code, as printed. */
  location: string | null;
}

/** ANSI colour and cursor sequences: logs are read by agents, not terminals. */
export const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

/** A source position in a frame or a reporter's pointer: path:line[:column], path(line,col) for tsc. */
const POSITION = /((?:file:\/\/)?(?:[A-Za-z]:)?[^\s()'"`:]*[\w\]-]\.[cm]?[jt]sx?|(?:file:\/\/)?[^\s()'"`:]+\.(?:vue|svelte|astro|mjs|cjs)):(\d+)(?::(\d+))?/;

/** Paths that are never the user's code. */
const NOT_USER_CODE = /(^|\/)node_modules\/|^node:|\(node:|^internal\/|\/internal\/|<anonymous>$/;

/** The first line of an error message, in the runners' and compilers' words. */
const MESSAGE =
  /^\s*(?:(?:[\w$.]*(?:Error|Exception)\b(?: \[[\w_]+\])?:)|expect\(|Expected values?|AssertionError|error TS\d+|✘ \[ERROR\]|X \[ERROR\])/;

/** Where a test runner's block of one failure starts (its name). */
const FAILURE_HEADER = /^\s*(?:FAIL\s+\S.*>|●\s|\d+\)\s|✖\s|not ok \d+)/;

/** Lines of a code frame or a stack, which the location line replaces. */
const FRAME_LINE = /^\s*(?:>?\s*\d+\s*\||\|\s|at\s|❯\s|[│╵╷]|\^)/;

const MAX_CAUSE_LINES = 12;

function stripFileUrl(path: string): string {
  return path.replace(/^file:\/\//, '');
}

/** The first position in `lines[from..]` that is in the user's code. */
function firstUserPosition(lines: readonly string[], from: number, to = lines.length): string | null {
  for (let i = from; i < Math.min(to, lines.length); i++) {
    const line = lines[i]!;
    if (NOT_USER_CODE.test(line.trim()) && !POSITION.test(line)) continue;
    const match = POSITION.exec(line);
    if (!match) continue;
    const path = stripFileUrl(match[1]!);
    if (NOT_USER_CODE.test(path)) continue;
    return `${path}:${match[2]}${match[3] ? `:${match[3]}` : ''}`;
  }
  return null;
}

/** tsc: `src/a.ts(10,14): error TS2322: ...` or, with --pretty, `src/a.ts:10:14 - error TS2322: ...`. */
function typescriptCause(lines: readonly string[]): FailureCause | null {
  const errors: string[] = [];
  let location: string | null = null;
  for (const line of lines) {
    const plain = /^(.+?)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line.trim());
    const pretty = /^(.+?):(\d+):(\d+) - (error TS\d+: .*)$/.exec(line.trim());
    const match = plain ?? pretty;
    if (!match) continue;
    location ??= `${match[1]}:${match[2]}:${match[3]}`;
    errors.push(`${match[1]}:${match[2]}:${match[3]} ${match[4]}`);
  }
  return errors.length > 0 ? { lines: errors.slice(0, MAX_CAUSE_LINES), location } : null;
}

/** esbuild: `✘ [ERROR] message` and, a blank line later, `    path:line:col:`. */
function esbuildCause(lines: readonly string[]): FailureCause | null {
  const out: string[] = [];
  let location: string | null = null;
  for (const [index, line] of lines.entries()) {
    const match = /^\s*(?:✘|X) \[ERROR\] (.*)$/.exec(line);
    if (!match) continue;
    out.push(`error: ${match[1]}`);
    for (let i = index + 1; i < Math.min(lines.length, index + 4); i++) {
      const where = /^\s+(\S+?):(\d+):(\d+):$/.exec(lines[i]!);
      if (where) {
        location ??= `${where[1]}:${where[2]}:${where[3]}`;
        out.push(`  at ${where[1]}:${where[2]}:${where[3]}`, ...lines.slice(i + 1, i + 3).map((l) => l.replace(/\s+$/, '')));
        break;
      }
    }
  }
  return out.length > 0 ? { lines: out.slice(0, MAX_CAUSE_LINES), location } : null;
}

/** eslint's stylish format: a file path line, then `  line:col  error  message  rule` lines. */
function eslintCause(lines: readonly string[]): FailureCause | null {
  const out: string[] = [];
  let location: string | null = null;
  let file: string | null = null;
  for (const line of lines) {
    if (/^\S.*\.[cm]?[jt]sx?$|^\S.*\.(?:vue|svelte|astro|json|md)$/.test(line) && !line.includes(' ')) {
      file = line.trim();
      continue;
    }
    const problem = /^\s+(\d+):(\d+)\s+error\s+(.*?)\s*$/.exec(line);
    if (problem && file) {
      location ??= `${file}:${problem[1]}:${problem[2]}`;
      out.push(`${file}:${problem[1]}:${problem[2]} error ${problem[3]!.replace(/\s{2,}/g, '  ')}`);
    }
  }
  return out.length > 0 ? { lines: out.slice(0, MAX_CAUSE_LINES), location } : null;
}

/**
 * Test runners: the failure's header (test name), its message, the expected/received lines,
 * then the first frame in user code. The message is found first, the rest around it.
 */
function testRunnerCause(lines: readonly string[]): FailureCause | null {
  // node's TAP reporter: `error: |-` holds the message, `stack: |-` the frames, after `not ok`
  const tapError = lines.findIndex((line, i) => /^\s*error: \|-$/.test(line) && lines.slice(Math.max(0, i - 8), i).some((l) => /failureType: 'testCodeFailure'/.test(l)));
  let messageAt: number;
  if (tapError >= 0) {
    messageAt = tapError + 1;
  } else {
    messageAt = lines.findIndex((line, i) => MESSAGE.test(line) && !/^\s*at\s/.test(line) && !isSummaryLine(line, lines[i - 1]));
    if (messageAt < 0) return null;
  }
  const picked: string[] = [];
  for (let i = messageAt - 1; i >= Math.max(0, messageAt - 6); i--) {
    if (FAILURE_HEADER.test(lines[i]!)) {
      // the header and any name lines under it (mocha prints the test's title on the next line)
      for (let j = i; j < messageAt; j++) if (lines[j]!.trim() !== '') picked.push(lines[j]!.trim().replace(/\s*─+$/, ''));
      break;
    }
  }
  const indentOf = (line: string) => /^\s*/.exec(line)![0].length;
  const baseIndent = indentOf(lines[messageAt]!);
  let end = messageAt;
  for (let i = messageAt; i < lines.length && picked.length < MAX_CAUSE_LINES; i++) {
    const line = lines[i]!;
    if (i > messageAt && (FRAME_LINE.test(line) || /^\s*(?:stack|code|name|expected|actual|operator): /.test(line))) break;
    if (i > messageAt && line.trim() === '' && (lines[i + 1] ?? '').trim() === '') break;
    if (line.trim() !== '') picked.push(line.slice(Math.min(baseIndent, indentOf(line))).replace(/\s+$/, ''));
    end = i;
  }
  const location = firstUserPosition(lines, end + 1, end + 40) ?? firstUserPosition(lines, 0);
  return { lines: picked, location };
}

/** Counters in a runner's summary (`Tests 1 failed`), not a message. */
function isSummaryLine(line: string, previous: string | undefined): boolean {
  return /^\s*(Tests?|Test Files|Suites?|Snapshots)\b/.test(line) || (previous !== undefined && /failing tests:/.test(previous));
}

/** The cause of a failure in `log`, or null when no known shape is in it. */
export function failureCause(log: string): FailureCause | null {
  const lines = log
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+$/, ''));
  return typescriptCause(lines) ?? esbuildCause(lines) ?? eslintCause(lines) ?? testRunnerCause(lines);
}
