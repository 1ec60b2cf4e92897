import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectTests, weighSelection, type ImportEdge, type TestTargetFacts, type WorkspaceImports } from '@sixty/core';

const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly, dynamic: false });

// lib-a: a1 <- a2; its test ta2 imports a2.  lib-b: b1 imports lib-a's a1 (across projects); tb1 imports b1; tb2 imports b2.
const files = ['a/src/a1.ts', 'a/src/a2.ts', 'a/test/ta2.test.ts', 'b/src/b1.ts', 'b/src/b2.ts', 'b/test/tb1.test.ts', 'b/test/tb2.test.ts'];
const imports = (extra: Partial<WorkspaceImports> = {}): WorkspaceImports => ({
  files: new Set(files),
  edges: [edge('a/src/a2.ts', 'a/src/a1.ts'), edge('a/test/ta2.test.ts', 'a/src/a2.ts'), edge('b/src/b1.ts', 'a/src/a1.ts'), edge('b/test/tb1.test.ts', 'b/src/b1.ts'), edge('b/test/tb2.test.ts', 'b/src/b2.ts')],
  blindSpots: new Map(),
  ...extra,
});
const targets: TestTargetFacts[] = [
  { task: 'a:test', project: 'a', runner: { ok: true, testFiles: ['a/test/ta2.test.ts'] } },
  { task: 'b:test', project: 'b', runner: { ok: true, testFiles: ['b/test/tb1.test.ts', 'b/test/tb2.test.ts'] } },
];

describe('selectTests', () => {
  it('runs the test files whose imports reach a changed file, across projects, and skips the rest', () => {
    expect(selectTests(['a/src/a1.ts'], imports(), targets)).toEqual([
      { task: 'a:test', mode: 'files', files: ['a/test/ta2.test.ts'], of: 1 },
      { task: 'b:test', mode: 'files', files: ['b/test/tb1.test.ts'], of: 2 },
    ]);
    expect(selectTests(['b/src/b2.ts'], imports(), targets)).toEqual([
      { task: 'a:test', mode: 'skip', of: 1 },
      { task: 'b:test', mode: 'files', files: ['b/test/tb2.test.ts'], of: 2 },
    ]);
  });

  it('runs a changed test file itself, and ignores type-only imports (no code reaches the test)', () => {
    expect(selectTests(['b/test/tb2.test.ts'], imports(), targets)[1]).toEqual({ task: 'b:test', mode: 'files', files: ['b/test/tb2.test.ts'], of: 2 });
    const typeOnly = imports({ edges: [edge('b/test/tb1.test.ts', 'b/src/b2.ts', true)] });
    expect(selectTests(['b/src/b2.ts'], typeOnly, targets)[1]).toEqual({ task: 'b:test', mode: 'skip', of: 2 });
  });

  it('runs whole targets, saying why, for what the graph cannot follow', () => {
    expect(selectTests(['a/package.json', 'a/src/a1.ts'], imports(), targets)).toEqual([
      { task: 'a:test', mode: 'whole', reason: 'a/package.json changed, which the import graph cannot follow' },
      { task: 'b:test', mode: 'whole', reason: 'a/package.json changed, which the import graph cannot follow' },
    ]);
    expect(selectTests(['a/src/a1.ts'], imports({ blindSpots: new Map([['b', 'b/src/b2.ts could not be parsed']]) }), targets)[1]).toEqual({ task: 'b:test', mode: 'whole', reason: 'b/src/b2.ts could not be parsed' });
    expect(selectTests(['a/src/a1.ts'], imports(), [{ task: 'c:test', project: 'c', runner: { ok: false, reason: 'the executor x cannot filter' } }])).toEqual([
      { task: 'c:test', mode: 'whole', reason: 'the executor x cannot filter' },
    ]);
    expect(selectTests(['a/src/a1.ts'], imports(), [{ task: 'a:test', project: 'a', runner: { ok: true, testFiles: ['a/test/extra.test.mjs'] } }])).toEqual([
      { task: 'a:test', mode: 'whole', reason: 'the runner runs a/test/extra.test.mjs, which the import graph did not read' },
    ]);
  });

  it('never misses: every test whose reach holds a changed file is run (random graphs and changes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 80 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        (size, pairs, changedAt) => {
          const paths = Array.from({ length: size }, (_, i) => (i % 3 === 0 ? `p/test/t${i}.test.ts` : `p/src/m${i}.ts`));
          const edges = pairs.map(([a, b, typeOnly]) => edge(paths[a % size]!, paths[b % size]!, typeOnly)).filter((e) => e.from !== e.to);
          const tests = paths.filter((path) => path.includes('.test.'));
          const changed = [...new Set(changedAt.map((n) => paths[n % size]!))];
          const [selection] = selectTests(changed, { files: new Set(paths), edges, blindSpots: new Map() }, [{ task: 'p:test', project: 'p', runner: { ok: true, testFiles: tests } }]);
          // oracle: breadth-first search over runtime edges from each test
          const reaches = (test: string): boolean => {
            const seen = new Set([test]);
            const queue = [test];
            while (queue.length > 0) {
              const at = queue.shift()!;
              if (changed.includes(at)) return true;
              for (const e of edges) if (e.from === at && !e.typeOnly && !seen.has(e.to)) (seen.add(e.to), queue.push(e.to));
            }
            return false;
          };
          const expected = tests.filter(reaches).sort();
          if (tests.length === 0) return;
          if (expected.length === 0) expect(selection).toEqual({ task: 'p:test', mode: 'skip', of: tests.length });
          else expect(selection).toEqual({ task: 'p:test', mode: 'files', files: expected, of: tests.length });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('weighSelection', () => {
  const narrowed = [
    { task: 'a:test', mode: 'files' as const, files: ['a/test/one.test.ts'], of: 4 },
    { task: 'b:test', mode: 'skip' as const, of: 3 },
    { task: 'c:test', mode: 'whole' as const, reason: 'c/package.json changed' },
  ];
  it('keeps a selection that saves more test time than its extra nx runs cost', () => {
    expect(weighSelection(narrowed, new Map([['a:test', 8000], ['b:test', 1000]]), 2000)).toEqual(narrowed);
  });
  it('runs every task whole, saying why, when the saving is smaller', () => {
    expect(weighSelection(narrowed, new Map([['a:test', 1000], ['b:test', 500]]), 2000)).toEqual([
      { task: 'a:test', mode: 'whole', reason: 'a selection would save about 1.3 s of tests, less than the 1 extra nx run it needs (about 2.0 s, estimated)' },
      { task: 'b:test', mode: 'whole', reason: 'a selection would save about 1.3 s of tests, less than the 1 extra nx run it needs (about 2.0 s, estimated)' },
      narrowed[2],
    ]);
  });
});
