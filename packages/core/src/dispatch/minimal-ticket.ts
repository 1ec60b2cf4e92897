import { formatDuration } from '../text/format-duration';

/** The plan part of `sixty plan --json` that a ticket needs. */
export interface TicketPlan {
  kind: string;
  rationale?: string;
  /** Shards (kind shard) or new projects (kind split). */
  parts: Array<{ name: string; files: string[]; estimatedMs: number }>;
}

export interface MinimalTicketInput {
  task: string;
  budgetMs: number;
  /** Recorded p90; null when the task never ran in history. */
  p90Ms: number | null;
  plan: TicketPlan | null;
  planFile: string | null;
  /** Validator problems of the plan; empty when it is valid. */
  planProblems: string[];
  /** The commit the dispatch compares against. */
  base: string;
}

const FILES_SHOWN = 8;

/**
 * A ticket for a coding agent when no richer one was written (`sixty plan --ticket`):
 * context, the local plan, acceptance and how to verify, in plain Markdown.
 */
export function renderMinimalTicket(input: MinimalTicketInput): string {
  const budget = formatDuration(input.budgetMs);
  const now = input.p90Ms === null ? 'no recorded time' : `p90 ${formatDuration(input.p90Ms)}`;
  const lines = [
    `# Bring ${input.task} under its budget`,
    '',
    `Task: \`${input.task}\``,
    `Budget: ${budget} (${now})`,
    '',
    '## Context',
    '',
    `\`${input.task}\` takes longer than its ${budget} budget, and every change that affects it waits for it.`,
    'Decompose it (shard its tests, split the project) or make it faster; do not raise the budget.',
    '',
    '## Plan',
    '',
  ];
  if (input.plan) {
    lines.push(`A validated ${input.plan.kind} plan${input.planFile ? ` (\`${input.planFile}\`)` : ''}:`, '');
    for (const part of input.plan.parts) {
      const shown = part.files.slice(0, FILES_SHOWN).map((f) => `\`${f}\``).join(', ');
      const more = part.files.length > FILES_SHOWN ? ` (+${part.files.length - FILES_SHOWN} more)` : '';
      lines.push(`- ${part.name}: ~${formatDuration(part.estimatedMs)}, ${part.files.length} file${part.files.length === 1 ? '' : 's'}: ${shown}${more}`);
    }
    if (input.plan.rationale) lines.push('', input.plan.rationale);
    if (input.planProblems.length > 0) lines.push('', 'The validator found problems with this plan:', ...input.planProblems.map((p) => `- ${p}`));
    if (input.planFile) lines.push('', `Apply it with \`sixty apply ${input.planFile}\` (preview with \`--dry-run\`), or make an equivalent change by hand.`);
  } else {
    lines.push('No plan could be made locally: run `sixty plan ' + input.task + '` to see why, and decompose the target by hand.');
  }
  lines.push(
    '',
    '## Acceptance',
    '',
    `- \`sixty check --strict\` passes: every affected task passes and \`${input.task}\` (or each of its parts) fits ${budget}.`,
    '- No other target goes over its budget.',
    '',
    '## How to verify',
    '',
    `    sixty check --strict --base ${input.base}`,
    '',
  );
  return lines.join('\n');
}
