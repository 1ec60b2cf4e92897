import { describe, expect, it } from 'vitest';
import { packLongestFirst } from '@sixty/core';

describe('packLongestFirst', () => {
  const cost = (item: { ms: number }): number => item.ms;

  it('places each item, longest first, into the least-loaded bin, the lowest index on ties', () => {
    const items = [7, 5, 4, 3, 1].map((ms) => ({ ms }));
    const bins = packLongestFirst(items, 2, cost);
    expect(bins.map((bin) => bin.items.map((item) => item.ms))).toEqual([
      [7, 3],
      [5, 4, 1],
    ]);
    expect(bins.map((bin) => bin.loadMs)).toEqual([10, 10]);
  });

  it('fills bins that already hold items, from their loads', () => {
    const bins = [
      { items: [{ ms: 9 }], loadMs: 9 },
      { items: [{ ms: 2 }], loadMs: 2 },
      { items: [{ ms: 2 }], loadMs: 2 },
    ];
    packLongestFirst([{ ms: 6 }, { ms: 1 }], bins, cost);
    expect(bins.map((bin) => bin.loadMs)).toEqual([9, 8, 3]);
  });

  it('gives empty bins for no items, and nothing for no bins', () => {
    expect(packLongestFirst([], 2, cost)).toEqual([
      { items: [], loadMs: 0 },
      { items: [], loadMs: 0 },
    ]);
    expect(packLongestFirst([{ ms: 1 }], 0, cost)).toEqual([]);
  });
});
