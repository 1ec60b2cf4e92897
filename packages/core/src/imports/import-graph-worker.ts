// A helper thread of readImportGraph: loads the parser and the resolver at once (while the project
// is still being listed), then, given the files, claims runs of them from the shared counter, reads
// and resolves their imports, and posts the results back until no file is left.
import { parentPort, workerData } from 'node:worker_threads';
import { createFileImportsReader } from './file-imports';
import { FILES_PER_CLAIM, type ImportWorkerData, type ImportWorkerFiles, type ImportWorkerMessage } from './parallel-file-imports';

const { settings, counter } = workerData as ImportWorkerData;
const next = new Int32Array(counter);
const read = createFileImportsReader(settings);
parentPort?.once('message', ({ files }: ImportWorkerFiles) => {
  for (let start = Atomics.add(next, 0, FILES_PER_CLAIM); start < files.length; start = Atomics.add(next, 0, FILES_PER_CLAIM)) {
    const end = Math.min(files.length, start + FILES_PER_CLAIM);
    const results = [];
    for (let index = start; index < end; index++) results.push(read(files[index] as string));
    parentPort?.postMessage({ start, results } satisfies ImportWorkerMessage);
  }
  parentPort?.postMessage({ done: true } satisfies ImportWorkerMessage);
});
