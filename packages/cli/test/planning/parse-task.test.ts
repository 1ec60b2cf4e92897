import { describe, expect, it } from 'vitest';
import { parseTask } from '../../src/planning/gather-planning-input';

// Real workspaces name targets with colons (TanStack/query: `test:lib`, `test:types`) and
// projects with scopes (`@tanstack/query-core`); docs/REAL-REPOS.md.
describe('parseTask', () => {
  it('splits at the first colon, so a target may hold colons', () => {
    expect(parseTask('@tanstack/query-core:test:lib')).toEqual({ project: '@tanstack/query-core', target: 'test:lib' });
    expect(parseTask('lib-c:test')).toEqual({ project: 'lib-c', target: 'test' });
  });

  it('rejects what is not project:target', () => {
    for (const bad of ['lib-c', ':test', 'lib-c:', 'lib-c:test:', 'lib c:test']) expect(() => parseTask(bad)).toThrow(/is not a target/);
  });
});
