import type { PlanningInput } from '@sixty/core';

/**
 * What validatePlan enforces, said to the model in plain lines with this target's values.
 * Kept next to the brief: when the validator learns a rule, add its line here.
 */
export function validatorRules(input: PlanningInput): string[] {
  const header = `"schemaVersion" is 1, "kind" is "${input.kind}", "task" is exactly "${input.task}", "budgetMs" is exactly ${input.budgetMs}, "source" is "agent".`;
  const paths = 'Paths are spelled exactly as in facts.files: workspace-relative, "/" separators, never absolute, no "." or ".." segments.';
  if (input.kind === 'shard') {
    return [
      header,
      `Every file in facts.files is in exactly one shard, and no other path appears. ${paths}`,
      'Shards are named shard-<i>-of-<n> with i from 1 to n (n = the number of shards), each name once; no shard is empty.',
      `A shard's estimatedMs is the sum of its files' costMs and must not exceed ${input.budgetMs}. sixty recomputes it from facts.files, so a smaller number does not help; fill shards to at most 85% of the budget for run-to-run noise.`,
      'The slowest shard bounds the loop time: balance the shards so the slowest is as fast as it can be, with as few shards as that needs.',
      'A file whose costMs alone exceeds the budget goes in a shard of its own and is listed in oversizedFiles (no shard count fixes it).',
    ];
  }
  return [
    header,
    `Every file in facts.files is in exactly one place: the "files" of one part, or "keptFiles" (what stays in ${input.project}). No other path appears. ${paths}`,
    'Part names are valid Nx project names (letters, digits, -, _ and ., optionally @scope/ first), unique ignoring case, and none of facts.existingProjects.',
    `A part's "root" is a new folder outside ${input.projectRoot || 'the project'} (e.g. next to it) and not inside another part's root; its "entry" is a file inside that root, such as <root>/src/index.ts.`,
    '"dependsOn" names parts (or existing projects); when a file of part A imports a file of part B (facts.imports), A lists B.',
    `No cycle among the parts, nor between the parts and ${input.project}, which keeps keptFiles and depends on every part it re-exports: a part must not import a kept file, and the files of one import cycle (facts.importCycles) go to one part.`,
    `Each module of facts.publicModules that moves to a part needs a facade entry { "from": <the old entry, a kept file>, "project": <that part>, "module": <the moved file> }, so importers of ${input.project} keep working.`,
    `A part's estimatedMs (the sum of its files' costMs) and keptEstimatedMs must not exceed ${input.budgetMs}; sixty recomputes both, and cutEdges, from the facts.`,
    'Prefer few import edges between parts, and files that change together (facts.coChangeClusters) in one part.',
  ];
}
