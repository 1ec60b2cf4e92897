/** A task id as tickets write it: `project:target` (projects may be scoped: `@acme/ui:build`). */
const TASK = /^@?[A-Za-z0-9_][\w.@/-]*:[A-Za-z0-9_][\w.-]*$/;

export function isTaskId(text: string): boolean {
  return TASK.test(text);
}

function strip(value: string): string {
  return value.trim().replace(/^[`*_"']+|[`*_"'.,;:]+$/g, '');
}

/**
 * The task a ticket is about. Tickets are Markdown written by `sixty plan --ticket`, by a
 * person or by another tool, so this reads, in order: a front-matter `task:` line, a
 * `Task: project:target` line (bold, list item or table cell), the first heading naming a
 * task, the first `code span` that is a task. Returns null when the ticket names none.
 */
export function taskOfTicket(markdown: string): string | null {
  const text = markdown.replace(/\r\n/g, '\n');
  const front = /^---\n([\s\S]*?)\n---/.exec(text);
  if (front) {
    const line = /^task:\s*(.+)$/im.exec(front[1]!);
    if (line && isTaskId(strip(line[1]!))) return strip(line[1]!);
  }
  for (const line of text.split('\n')) {
    const labelled = /^\s*(?:[-*|]\s*)?\**(?:task|target)\**\s*[:|]\s*\**\s*`?([^`\s|*]+)`?/i.exec(line);
    if (labelled && isTaskId(strip(labelled[1]!))) return strip(labelled[1]!);
  }
  for (const line of text.split('\n')) {
    if (!/^#{1,6}\s/.test(line)) continue;
    for (const word of line.replace(/^#+\s*/, '').split(/\s+/)) {
      if (isTaskId(strip(word))) return strip(word);
    }
  }
  for (const match of text.matchAll(/`([^`\n]+)`/g)) {
    if (isTaskId(match[1]!.trim())) return match[1]!.trim();
  }
  return null;
}
