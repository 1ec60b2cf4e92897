import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planFigures, renderTicket, ticketPath, trackerRowFor, writeTicket, type TicketFacts } from '../src/index';
import { shardInput, splitInput, threeShards, twoParts } from './fixtures';

function shardTicket(): TicketFacts {
  const input = shardInput();
  return {
    input,
    plan: threeShards(),
    validation: { valid: true, problems: [] },
    figures: planFigures(threeShards(), input, { parallel: 3 }),
    planFile: '.sixty/plans/lib-a-test.json',
    date: '2026-03-04',
    planner: {
      winner: 'agent',
      reason: 'larger estimated loop-time gain: 55.0s (agent, slowest part 35.0s) vs 45.0s (local, slowest part 45.0s)',
      agent: {
        model: 'gpt-4.1-mini',
        cached: false,
        rounds: [
          { round: 1, requests: 2, tokensIn: 1500, tokensOut: 300, ms: 1200, outcome: 'invalid', problems: ['x'] },
          { round: 2, requests: 1, tokensIn: 1600, tokensOut: 310, ms: 900, outcome: 'valid', problems: [] },
        ],
      },
    },
  };
}

const SHARD_TICKET = `# lib-a:test: shard into 3

- Status: planned
- Date: 2026-03-04
- Plan: \`.sixty/plans/lib-a-test.json\` (agent plan, valid)

## Context

lib-a:test takes 1m 30s at p90 over 4 executed runs, against a 1m 00s budget (30.0s over). Its 4 test files are sharded so each shard fits the budget.

| figure | value |
|---|---|
| p90 now | 1m 30s |
| budget | 1m 00s |
| parts | 3 |
| slowest part after the plan | 35.0s |
| all parts done in (--parallel 3) | 35.0s |
| parts over budget | 0 |
| estimated loop-time gain | 55.0s |
| planner | agent (gpt-4.1-mini): larger estimated loop-time gain: 55.0s (agent, slowest part 35.0s) vs 45.0s (local, slowest part 45.0s) |
| agent cost | 2 rounds, 3 requests, 3,100 tokens in, 610 out |

## Plan

| shard | files | estimated |
|---|---|---|
| shard-1-of-3 | 1 | 30.0s |
| shard-2-of-3 | 1 | 25.0s |
| shard-3-of-3 | 2 | 35.0s |

> One shard per long file, the two short ones together.

<details><summary>The plan as JSON</summary>

\`\`\`json
${JSON.stringify(threeShards(), null, 2)}
\`\`\`

</details>

## Acceptance criteria

- [ ] \`sixty plan --validate .sixty/plans/lib-a-test.json\` exits 0.
- [ ] Each of the 3 shards of lib-a:test runs within 1m 00s: \`sixty report\` lists none over budget.
- [ ] \`sixty check\` passes.

## Apply and verify

\`\`\`sh
sixty plan --validate .sixty/plans/lib-a-test.json
sixty apply .sixty/plans/lib-a-test.json --dry-run
sixty apply .sixty/plans/lib-a-test.json
sixty baseline
nx run lib-a:test --skip-nx-cache
sixty report --targets test
sixty check
\`\`\`
`;

describe('tickets', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sixty-ticket-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('renders context with figures, the plan, acceptance criteria and the commands, exactly', () => {
    expect(renderTicket(shardTicket())).toBe(SHARD_TICKET);
  });

  it('is written to docs/exec-plans/<project>-<target>-<date>.md; a re-run the same day replaces it', () => {
    expect(writeTicket(root, shardTicket())).toBe('docs/exec-plans/lib-a-test-2026-03-04.md');
    expect(writeTicket(root, shardTicket())).toBe('docs/exec-plans/lib-a-test-2026-03-04.md');
    expect(readFileSync(join(root, 'docs/exec-plans/lib-a-test-2026-03-04.md'), 'utf8')).toBe(SHARD_TICKET);
    expect(ticketPath('@org/ui:build', '2026-03-04')).toBe('docs/exec-plans/_org_ui-build-2026-03-04.md');
  });

  it('describes a split, and an invalid plan with its problems, keeping model text inert', () => {
    const input = splitInput();
    const plan = { ...twoParts(), rationale: 'Moved </details> ```sh\nrm -rf /\n``` around.' };
    const ticket = renderTicket({
      input,
      plan,
      validation: { valid: false, problems: ['part "lib-a-x": <b>bad</b>'] },
      figures: planFigures(plan, input),
      planFile: '.sixty/plans/lib-a-build.json',
      date: '2026-03-04',
      planner: { winner: 'local', reason: 'planned with --planner local' },
    });
    expect(ticket).toContain('- Status: needs work\n');
    expect(ticket).toContain(
      [
        '| project | root | files | depends on | estimated |',
        '|---|---|---|---|---|',
        '| lib-a-x | libs/lib-a-x | 2 | - | 40.0s |',
        '| lib-a-y | libs/lib-a-y | 2 | lib-a-x | 45.0s |',
        '| lib-a (kept: entry and facade) | libs/a | 1 | lib-a-x, lib-a-y | - |',
      ].join('\n'),
    );
    expect(ticket).toContain('| all parts done in | 1m 26s |\n| parts over budget | 0 |\n| estimated loop-time gain | 0ms |\n| cut edges | 1 |\n| planner | local planner: planned with --planner local |\n');
    expect(ticket).toContain('The plan is not valid; `sixty apply` refuses it until these are fixed:\n\n- part "lib-a-x": &lt;b&gt;bad&lt;/b&gt;\n');
    // the rationale is one inert paragraph, and the JSON fence is longer than any backtick run inside it
    expect(ticket).toContain('> Moved &lt;/details&gt; ```sh rm -rf / ``` around.\n');
    expect(ticket).toContain('\n````json\n{');
    expect(ticket).toContain('- [ ] `build` of each new project, and of lib-a, runs within 1m 00s: `sixty report` lists none over budget.');
    expect(ticket).toContain('nx run-many -t build -p lib-a,lib-a-x,lib-a-y --skip-nx-cache');
  });

  it('gives the tracker row: target, p90, budget, the plan linked to its ticket, status', () => {
    expect(trackerRowFor(shardTicket())).toEqual({
      target: 'lib-a:test',
      p90: '1m 30s',
      budget: '1m 00s',
      plan: '[shard into 3 (agent)](exec-plans/lib-a-test-2026-03-04.md)',
      status: 'planned',
    });
    const within = shardTicket();
    within.input = { ...within.input, p90Ms: 50_000 };
    expect(trackerRowFor(within).status).toBe('within budget');
  });
});
