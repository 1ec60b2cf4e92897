import { describe, expect, it } from 'vitest';
import { uncoveredChanges, type ChangeCoverageInput } from '@sixty/core';

// lib <- app (app depends on lib); docs has no targets asked for
const projects = [
  { name: 'lib', root: 'libs/lib' },
  { name: 'app', root: 'apps/app' },
  { name: 'docs', root: 'docs' },
];
const projectDependencies = { app: ['lib'], lib: [], docs: [] };

function coverage(overrides: Partial<ChangeCoverageInput>): ReturnType<typeof uncoveredChanges> {
  return uncoveredChanges({
    changedFiles: [],
    nxIgnored: new Set(),
    projects,
    projectDependencies,
    nxAffected: [],
    projectsWithTasks: new Set(),
    ...overrides,
  });
}

describe('uncoveredChanges', () => {
  it('names a spec nx ignores even though its project would own it', () => {
    expect(coverage({ changedFiles: ['libs/lib/a.spec.ts'], nxIgnored: new Set(['libs/lib/a.spec.ts']) })).toEqual([
      { file: 'libs/lib/a.spec.ts', reason: 'nx-ignored' },
    ]);
  });

  it('names files in no project and in a project that ran no task; covered files are not named', () => {
    expect(
      coverage({
        changedFiles: ['README.md', 'docs/guide.md', 'libs/lib/src/a.ts'],
        nxAffected: ['app', 'docs', 'lib'],
        projectsWithTasks: new Set(['app', 'lib']),
      }),
    ).toEqual([
      { file: 'docs/guide.md', reason: 'no-task' },
      { file: 'README.md', reason: 'no-project' },
    ]);
  });

  it('counts a workspace file as covered when nx affected a project the project files do not reach', () => {
    // nx.json changed with a lib file: nx affects app and docs too, which lib's change alone does not explain
    expect(
      coverage({ changedFiles: ['nx.json', 'libs/lib/src/a.ts'], nxAffected: ['app', 'lib'], projectsWithTasks: new Set(['app', 'lib']) }),
    ).toEqual([{ file: 'nx.json', reason: 'no-project' }]);
    expect(
      coverage({ changedFiles: ['nx.json', 'docs/x.md'], nxAffected: ['app', 'docs', 'lib'], projectsWithTasks: new Set(['app', 'lib']) }),
    ).toEqual([{ file: 'docs/x.md', reason: 'no-task' }]);
  });
});
