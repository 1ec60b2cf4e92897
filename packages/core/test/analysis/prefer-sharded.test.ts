import { describe, expect, it } from 'vitest';
import { preferShardedTargets } from '@sixty/core';

const task = (id: string) => {
  const [project, target] = id.split(':') as [string, string];
  return { id, project, target };
};

describe('preferShardedTargets', () => {
  it('drops a target that has a sharded aggregate and rewires its dependents', () => {
    const graph = {
      tasks: ['lib:build', 'lib:test', 'lib:test--sharded', 'lib:test--shard-1-of-2', 'lib:test--shard-2-of-2', 'app:test', 'app:e2e'].map(task),
      dependencies: {
        'lib:build': [],
        'lib:test': ['lib:build'],
        'lib:test--sharded': ['lib:test--shard-1-of-2', 'lib:test--shard-2-of-2'],
        'lib:test--shard-1-of-2': ['lib:build'],
        'lib:test--shard-2-of-2': ['lib:build'],
        'app:test': [],
        'app:e2e': ['lib:test', 'app:test'],
      },
    };
    expect(preferShardedTargets(graph)).toEqual({
      tasks: ['lib:build', 'lib:test--sharded', 'lib:test--shard-1-of-2', 'lib:test--shard-2-of-2', 'app:test', 'app:e2e'].map(task),
      dependencies: {
        'lib:build': [],
        'lib:test--sharded': ['lib:test--shard-1-of-2', 'lib:test--shard-2-of-2'],
        'lib:test--shard-1-of-2': ['lib:build'],
        'lib:test--shard-2-of-2': ['lib:build'],
        'app:test': [],
        'app:e2e': ['lib:test--sharded', 'app:test'],
      },
    });
  });

  it('returns the graph as it is when nothing is sharded', () => {
    const graph = { tasks: [task('a:test')], dependencies: { 'a:test': [] } };
    expect(preferShardedTargets(graph)).toBe(graph);
  });
});
