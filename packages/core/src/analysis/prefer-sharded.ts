import { SHARDED_SUFFIX } from '../sharding/shard-target-names';
import type { TaskGraphInput } from './analysis-types';

/**
 * Where a project has `<target>--sharded`, the shards are what CI and agents run: the graph
 * keeps the aggregate (and its shards) and drops the unsharded `<target>`, rewiring anything
 * that depended on it to the aggregate. Pure; other tasks are untouched.
 */
export function preferShardedTargets(graph: TaskGraphInput): TaskGraphInput {
  const ids = new Set(graph.tasks.map((task) => task.id));
  const replaced = new Map<string, string>();
  for (const task of graph.tasks) {
    if (!task.target.endsWith(SHARDED_SUFFIX)) continue;
    const plain = `${task.project}:${task.target.slice(0, -SHARDED_SUFFIX.length)}`;
    if (ids.has(plain)) replaced.set(plain, task.id);
  }
  if (replaced.size === 0) return graph;
  const dependencies: Record<string, string[]> = {};
  for (const [id, deps] of Object.entries(graph.dependencies)) {
    if (replaced.has(id)) continue;
    dependencies[id] = [...new Set(deps.map((dep) => replaced.get(dep) ?? dep))];
  }
  return { tasks: graph.tasks.filter((task) => !replaced.has(task.id)), dependencies };
}
