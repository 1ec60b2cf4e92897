import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The tracker, relative to the workspace root. */
export const TRACKER_FILE = 'docs/tech-debt-tracker.md';

export const TRACKER_SECTION_TITLE = '## Targets over budget';

/** One target's row: `| target | p90 | budget | plan | status |`. Cells are plain text or a Markdown link. */
export interface TrackerRow {
  target: string;
  p90: string;
  budget: string;
  plan: string;
  status: string;
}

export type TrackerChange = 'added' | 'updated' | 'unchanged';

const HEADER = /^\s*\|\s*target\s*\|\s*p90\s*\|\s*budget\s*\|\s*plan\s*\|\s*status\s*\|\s*$/i;

function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').trim();
}

export function formatTrackerRow(row: TrackerRow): string {
  return `| ${[row.target, row.p90, row.budget, row.plan, row.status].map(cell).join(' | ')} |`;
}

/** The first cell of a table line, without backticks: the row's target. */
function targetOf(line: string): string {
  return (line.split('|')[1] ?? '').trim().replace(/^`|`$/g, '');
}

/**
 * The tracker text with the row for `row.target` in place: replaced where it is, else added
 * at the end of the table; the table (and its section) is created at the end of the file when
 * there is none. Everything else in the file is kept byte for byte.
 */
export function upsertTrackerRow(text: string | null, row: TrackerRow): { text: string; change: TrackerChange } {
  const line = formatTrackerRow(row);
  const source = text ?? '# Tech debt tracker\n';
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  const header = lines.findIndex((candidate) => HEADER.test(candidate));
  if (header === -1) {
    const body = source.replace(/(\r?\n)*$/, '');
    const section = [
      TRACKER_SECTION_TITLE,
      '',
      'One row per target over budget, written by `sixty plan <project>:<target> --ticket` and updated in place.',
      '',
      '| target | p90 | budget | plan | status |',
      '|---|---|---|---|---|',
      line,
    ];
    return { text: `${body}${eol}${eol}${section.join(eol)}${eol}`, change: 'added' };
  }
  let end = header + 1;
  if (end < lines.length && /^\s*\|[\s:|-]*\|\s*$/.test(lines[end] as string)) end++;
  let existing = -1;
  for (; end < lines.length && (lines[end] as string).trim().startsWith('|'); end++) {
    if (existing === -1 && targetOf(lines[end] as string) === row.target) existing = end;
  }
  if (existing !== -1) {
    if (lines[existing] === line) return { text: source, change: 'unchanged' };
    lines[existing] = line;
    return { text: lines.join(eol), change: 'updated' };
  }
  lines.splice(end, 0, line);
  return { text: lines.join(eol), change: 'added' };
}

/** Reads, updates and writes the tracker (whole, through a temporary file). */
export function writeTrackerRow(workspaceRoot: string, row: TrackerRow): { file: string; change: TrackerChange } {
  const file = join(workspaceRoot, TRACKER_FILE);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const { text, change } = upsertTrackerRow(current, row);
  if (change !== 'unchanged') {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  }
  return { file, change };
}
