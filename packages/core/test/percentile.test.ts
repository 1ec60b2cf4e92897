import { describe, expect, it } from 'vitest';
import { percentileOfSorted } from '@sixty/core';

describe('percentileOfSorted', () => {
  it('returns a measured value by nearest rank', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentileOfSorted(values, 50)).toBe(50);
    expect(percentileOfSorted(values, 90)).toBe(90);
    expect(percentileOfSorted(values, 100)).toBe(100);
  });
  it('is 0 for no values and the only value for one', () => {
    expect(percentileOfSorted([], 90)).toBe(0);
    expect(percentileOfSorted([7], 90)).toBe(7);
  });
});
