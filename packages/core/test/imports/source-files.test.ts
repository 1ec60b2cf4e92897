import { describe, expect, it } from 'vitest';
import { isSourceFile } from '@sixty/core';

describe('isSourceFile', () => {
  it("a tool's *.config.ts belongs to its project; a *.config.ts inside src is a module of the code (Angular's app.config.ts)", () => {
    expect(isSourceFile('libs/a/vite.config.ts')).toBe(false);
    expect(isSourceFile('libs/a/jest.config.js')).toBe(false);
    expect(isSourceFile('tsdown.config.ts')).toBe(false);
    expect(isSourceFile('apps/blog-app/src/app/app.config.ts')).toBe(true);
    expect(isSourceFile('src/app/app.config.ts')).toBe(true);
    expect(isSourceFile('apps/blog-app/src/app/app.config.server.ts')).toBe(true);
    expect(isSourceFile('libs/a/src/index.ts')).toBe(true);
    expect(isSourceFile('libs/a/README.md')).toBe(false);
  });
});
