import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexProjectGraph, ProjectWalker } from '../../src/analysis/project-dependents';

/** Random project graphs of up to 80 projects (past one 32-bit word), with or without cycles. */
const projectGraphs = fc
  .integer({ min: 1, max: 80 })
  .chain((size) =>
    fc.record({
      size: fc.constant(size),
      edges: fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 3 }),
      acyclic: fc.boolean(),
    }),
  )
  .map(({ size, edges, acyclic }) => {
    const dependencies: Record<string, string[]> = {};
    for (let p = 0; p < size; p++) dependencies[`p${p}`] = [];
    // acyclic: a project only depends on projects with a lower number
    for (const [a, b] of edges) if (!acyclic || a > b) dependencies[`p${a}`]!.push(`p${b}`);
    return indexProjectGraph(dependencies);
  });

describe('ProjectWalker', () => {
  it('finds the same dependents from its bitsets as by walking, and walks on cycles', () => {
    fc.assert(
      fc.property(projectGraphs, (index) => {
        const size = index.names.length;
        const fromSets = new ProjectWalker(index);
        const walking = new ProjectWalker(index, 0); // no memory for sets: always walks
        const out = new Int32Array(size);
        for (let project = 0; project < size; project++) {
          const walked = Array.from(out.subarray(0, walking.collect(project, 'dependents', out))).sort((a, b) => a - b);
          const read = Array.from(out.subarray(0, fromSets.collect(project, 'dependents', out))).sort((a, b) => a - b);
          expect(read).toEqual(walked);
          // the walk's own answer, by a plain search over the reversed edges
          const seen = new Set([project]);
          const pending = [project];
          while (pending.length > 0) {
            const current = pending.pop()!;
            for (let e = index.dependentStart[current]!; e < index.dependentStart[current + 1]!; e++) {
              const next = index.dependents[e]!;
              if (!seen.has(next)) seen.add(next), pending.push(next);
            }
          }
          expect(walked).toEqual([...seen].sort((a, b) => a - b));
        }
      }),
      { numRuns: 200 },
    );
  });
});
