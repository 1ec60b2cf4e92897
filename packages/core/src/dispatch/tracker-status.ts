export interface TrackerStatusResult {
  markdown: string;
  /** Rows naming the task (in any table with `target` and `status` columns). */
  rows: number;
  /** Rows whose status changed. */
  changed: number;
}

function cells(line: string): string[] | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return null;
  const inner = trimmed.replace(/^\|/, '').replace(/\|\s*$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

const isSeparator = (row: string[]): boolean => row.every((cell) => /^:?-{1,}:?$/.test(cell));
const bare = (cell: string): string => cell.replace(/^[`*_\s]+|[`*_\s]+$/g, '').replace(/^\[([^\]]*)\]\([^)]*\)$/, '$1').replace(/^`|`$/g, '');

/**
 * Sets the status of a task's row in the tech-debt tracker (docs/tech-debt-tracker.md): every
 * Markdown table whose header has a `target` and a `status` column, every row whose target cell
 * is the task (with or without backticks or a link). Other tables, rows and cells, and the
 * file's line endings, are left as they were.
 */
export function setTrackerStatus(markdown: string, task: string, status: string): TrackerStatusResult {
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const lines = markdown.split(/\r?\n/);
  let targetColumn = -1;
  let statusColumn = -1;
  let inTable = false;
  let rows = 0;
  let changed = 0;
  for (const [index, line] of lines.entries()) {
    const row = cells(line);
    if (!row) {
      inTable = false;
      targetColumn = statusColumn = -1;
      continue;
    }
    if (!inTable) {
      inTable = true;
      const header = row.map((cell) => bare(cell).toLowerCase());
      targetColumn = header.findIndex((cell) => cell === 'target' || cell === 'task');
      statusColumn = header.indexOf('status');
      continue;
    }
    if (isSeparator(row) || targetColumn < 0 || statusColumn < 0 || bare(row[targetColumn] ?? '') !== task) continue;
    rows++;
    if (bare(row[statusColumn] ?? '') === status) continue;
    row[statusColumn] = status;
    const indent = /^\s*/.exec(line)![0];
    lines[index] = `${indent}| ${row.join(' | ')} |`;
    changed++;
  }
  return { markdown: lines.join(eol), rows, changed };
}
