import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTestReach } from '@sixty/core';

describe('computeTestReach', () => {
  it('follows runtime edges transitively, skips type-only ones, and survives cycles', () => {
    const edge = (from: string, to: string, typeOnly = false) => ({ from, to, typeOnly, dynamic: false });
    const reach = computeTestReach(
      ['a', 'b', 'c', 'd', 't1', 't2'],
      [edge('t1', 'a'), edge('a', 'b'), edge('b', 'a'), edge('b', 'c', true), edge('t2', 'd'), edge('d', 'c'), edge('x', 'a')],
      ['t2', 't1'],
    );
    expect(reach).toEqual({ t1: ['a', 'b'], t2: ['c', 'd'] });
  });

  it('gives the same answer with reach bitsets and with one search per test, on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 90 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (size, pairs, testIndexes) => {
          const files = Array.from({ length: size }, (_, i) => `f${String(i).padStart(2, '0')}`);
          const edges = pairs.map(([a, b, typeOnly]) => ({ from: files[a % size] as string, to: files[b % size] as string, typeOnly, dynamic: false }));
          const tests = testIndexes.map((i) => files[i % size] as string);
          // the obvious answer: repeated relaxation to a fixed point
          const expected: Record<string, string[]> = {};
          for (const test of [...new Set(tests)].sort()) {
            const seen = new Set([test]);
            for (let changed = true; changed; ) {
              changed = false;
              for (const e of edges) if (!e.typeOnly && seen.has(e.from) && !seen.has(e.to)) (seen.add(e.to), (changed = true));
            }
            seen.delete(test);
            expected[test] = [...seen].sort();
          }
          expect(computeTestReach(files, edges, tests)).toEqual(expected);
          expect(computeTestReach(files, edges, tests, { maxBitsetBytes: 0 })).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
