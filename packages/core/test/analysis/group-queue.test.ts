import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupQueue } from '../../src/analysis/group-queue';

describe('GroupQueue', () => {
  it('hands out tasks lowest group first, first in first out within a group, one by one or drained, at every level count', () => {
    // 40,000 groups take three levels of words; 20 one.
    const groupCounts = fc.constantFrom(1, 20, 33, 1025, 40_000);
    const operations = fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 300 });
    fc.assert(
      fc.property(groupCounts, operations, fc.boolean(), (groupCount, steps, drainAtEnd) => {
        const queue = new GroupQueue(groupCount, steps.length);
        const model: Array<{ group: number; task: number; seq: number }> = [];
        let nextTask = 0;
        for (const [isPush, pick] of steps) {
          if (isPush || model.length === 0) {
            // Mostly a few groups, so groups hold several tasks; sometimes anywhere.
            const group = pick % 7 === 0 ? pick % groupCount : (pick % 5) * Math.floor(groupCount / 5);
            queue.push(group, nextTask);
            model.push({ group, task: nextTask, seq: nextTask });
            nextTask++;
            continue;
          }
          model.sort((a, b) => a.group - b.group || a.seq - b.seq);
          const expected = model.shift()!;
          const group = queue.firstGroup();
          expect(group).toBe(expected.group);
          expect(queue.peek(group)).toBe(expected.task);
          expect(queue.shift(group)).toBe(expected.task);
        }
        model.sort((a, b) => a.group - b.group || a.seq - b.seq);
        if (drainAtEnd) {
          const out = new Int32Array(steps.length + 1);
          const drained = queue.drainInto(out);
          expect(Array.from(out.subarray(0, drained))).toEqual(model.map((entry) => entry.task));
        } else {
          for (const expected of model) {
            const group = queue.firstGroup();
            expect(group).toBe(expected.group);
            expect(queue.shift(group)).toBe(expected.task);
          }
        }
        expect(queue.firstGroup()).toBe(-1);
        // emptied either way, the queue works again
        queue.push(groupCount - 1, 0);
        expect(queue.firstGroup()).toBe(groupCount - 1);
        expect(queue.shift(groupCount - 1)).toBe(0);
        expect(queue.firstGroup()).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });
});
