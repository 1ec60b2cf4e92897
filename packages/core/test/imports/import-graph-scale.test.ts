import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImportGraph } from '@sixty/core';
import { createFileImportsReader, type FileImports } from '../../src/imports/file-imports';
import type { ImportWorkerData, ImportWorkerFiles, ImportWorkerMessage } from '../../src/imports/parallel-file-imports';
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
  let workerDirectory: string;
  let workerScript: string;
  // 1,500 files read several times: generous limits, as the unit runs share a busy machine
  beforeAll(async () => {
    root = writeTree({ 'package.json': '{"name":"generated"}' }, 'sixty-scale-');
    generated = generateTypeScriptTree(root, 1500);
    // the helper thread as the build makes it, from the sources under test; inside the repository,
    // so that it finds oxc-parser and oxc-resolver in node_modules as the built bundle does
    workerDirectory = mkdtempSync(join(__dirname, '../../../../node_modules/.sixty-test-worker-'));
    workerScript = join(workerDirectory, 'import-graph-worker.js');
    await build({
      entryPoints: [join(__dirname, '../../src/imports/import-graph-worker.ts')],
      outfile: workerScript,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'warning',
    });
  }, 60_000);
  afterAll(() => {
    removeTree(root);
    rmSync(workerDirectory, { recursive: true, force: true });
  }, 60_000);

  it('finds exactly the imports that were written, with their kinds', async () => {
    const graph = await readImportGraph({ workspaceRoot: root, projectRoot: '.', workerScript: null });
    expect(graph.files.map((file) => file.path)).toEqual(generated.files);
    const found = new Map(graph.edges.map((edge) => [`${edge.from}>${edge.to}`, edge.typeOnly ? 'type' : edge.dynamic ? 'dynamic' : 'static']));
    expect(found).toEqual(generated.edges);
    expect(graph.unparsable).toEqual([]);
    expect(Object.keys(graph.testReach)).toHaveLength(150);
  }, 60_000);

  it('reads every file on the helper thread when it claims them all, as this thread would', async () => {
    const files = generated.files.map((file) => join(root, file));
    const settings = { conditions: ['import', 'default'], moduleSuffixes: [''] };
    const workerData: ImportWorkerData = { settings, counter: new SharedArrayBuffer(4) };
    const results: FileImports[] = new Array(files.length);
    await new Promise<void>((resolveDone, reject) => {
      const worker = new Worker(workerScript, { workerData });
      worker.postMessage({ files } satisfies ImportWorkerFiles);
      worker.on('message', (message: ImportWorkerMessage) => {
        if ('done' in message) void worker.terminate().then(() => resolveDone());
        else message.results.forEach((result, offset) => (results[message.start + offset] = result));
      });
      worker.on('error', reject);
    });
    const read = createFileImportsReader(settings);
    expect(results).toEqual(files.map((file) => read(file)));
  }, 60_000);

  it('gives the same graph when helper threads read part of the files', async () => {
    const alone = await readImportGraph({ workspaceRoot: root, projectRoot: '.', workerScript: null });
    const shared = await readImportGraph({ workspaceRoot: root, projectRoot: '.', workerScript, threads: 2 });
    expect(shared).toEqual(alone);
    // a helper script that cannot start leaves every file to this thread
    const failed = await readImportGraph({ workspaceRoot: root, projectRoot: '.', workerScript: join(workerDirectory, 'missing.js'), threads: 2 });
    expect(failed).toEqual(alone);
  }, 60_000);
});
