import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImportGraph } from '@sixty/core';
import { generateTypeScriptTree } from './generated-tree';
import { removeTree, writeTree } from './temp-tree';

/**
 * A generated project checked edge by edge. The timing goals (10,000 files read under 1 s,
 * a 5,000-file split under 2 s) are measured by `npm run bench` (imports, planners), not here:
 * unit runs share the CPU with everything else, so they only check the answers.
 */
describe('readImportGraph on a generated project', () => {
  let root: string;
  let generated: ReturnType<typeof generateTypeScriptTree>;
  beforeAll(() => {
    root = writeTree({ 'package.json': '{"name":"generated"}' }, 'sixty-scale-');
    generated = generateTypeScriptTree(root, 1500);
  });
  afterAll(() => removeTree(root));

  it('finds exactly the imports that were written, with their kinds', async () => {
    const graph = await readImportGraph({ workspaceRoot: root, projectRoot: '.' });
    expect(graph.files.map((file) => file.path)).toEqual(generated.files);
    const found = new Map(graph.edges.map((edge) => [`${edge.from}>${edge.to}`, edge.typeOnly ? 'type' : edge.dynamic ? 'dynamic' : 'static']));
    expect(found).toEqual(generated.edges);
    expect(graph.unparsable).toEqual([]);
    expect(Object.keys(graph.testReach)).toHaveLength(150);
  });
});
