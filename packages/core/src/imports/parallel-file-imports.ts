import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createFileImportsReader, type FileImports } from './file-imports';
import type { ResolverSettings } from './import-resolver';

/** Files a thread claims at a time from the shared counter: small enough to balance, large enough to keep messages few. */
export const FILES_PER_CLAIM = 64;
/**
 * A helper thread pays for itself once each thread gets this many files: starting one (Node's
 * worker start-up plus loading the parser and resolver) costs about as much as reading ~200
 * files of a typical library on this machine class (docs/BENCHMARKS.md, imports: the helper thread rows).
 */
export const MIN_FILES_PER_THREAD = 200;

/** What the worker script receives. */
export interface ImportWorkerData {
  files: string[];
  settings: ResolverSettings;
  /** Int32Array[0]: index of the next unclaimed file, shared by every thread. */
  counter: SharedArrayBuffer;
}

/** What the worker script posts: one message per claim, then `done`. */
export type ImportWorkerMessage = { start: number; results: FileImports[] } | { done: true };

export interface ParallelReadOptions {
  /** The worker script (import-graph-worker.js); default: next to the running bundle. null: never start threads. */
  workerScript?: string | null;
  /** Threads in all, this one included; default: the machine's available parallelism, one per MIN_FILES_PER_THREAD files. */
  threads?: number;
}

/**
 * Reads and resolves the imports of every file (absolute paths), in order. With enough files,
 * helper threads claim runs of files from a shared counter while this thread claims them too,
 * so the work balances whatever each thread's start-up costs; a helper that fails leaves its
 * unfinished files to this thread. Results are the same with or without helpers.
 */
export async function readFileImportsInParallel(files: readonly string[], settings: ResolverSettings, options: ParallelReadOptions = {}): Promise<FileImports[]> {
  const results: Array<FileImports | undefined> = new Array(files.length);
  const script = options.workerScript === undefined ? defaultWorkerScript() : options.workerScript;
  // an explicit count is taken as given (the benchmark measures the threshold with it)
  const threads = options.threads ?? Math.min(availableParallelism(), Math.floor(files.length / MIN_FILES_PER_THREAD));
  const read = createFileImportsReader(settings);
  if (script === null || threads <= 1) {
    for (let index = 0; index < files.length; index++) results[index] = read(files[index] as string);
    return results as FileImports[];
  }
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const workerData: ImportWorkerData = { files: [...files], settings, counter };
  const helpers = Array.from({ length: threads - 1 }, () => runHelper(script, workerData, results));
  for (let start = Atomics.add(next, 0, FILES_PER_CLAIM); start < files.length; start = Atomics.add(next, 0, FILES_PER_CLAIM)) {
    const end = Math.min(files.length, start + FILES_PER_CLAIM);
    for (let index = start; index < end; index++) results[index] = read(files[index] as string);
  }
  await Promise.all(helpers);
  // a helper that failed may have claimed files it never sent back
  for (let index = 0; index < files.length; index++) results[index] ??= read(files[index] as string);
  return results as FileImports[];
}

/** Resolves when the helper is done or has failed; its results land in `results` as they come. */
function runHelper(script: string, workerData: ImportWorkerData, results: Array<FileImports | undefined>): Promise<void> {
  return new Promise((resolveDone) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData });
    } catch {
      resolveDone();
      return;
    }
    const finish = (): void => {
      resolveDone();
      void worker.terminate();
    };
    worker.on('message', (message: ImportWorkerMessage) => {
      if ('done' in message) finish();
      else message.results.forEach((result, offset) => (results[message.start + offset] = result));
    });
    worker.on('error', finish);
    worker.on('exit', finish);
  });
}

/** The worker script built next to the bundle that runs this code (core's or the CLI's); null when there is none (tests on sources). */
function defaultWorkerScript(): string | null {
  if (typeof __dirname !== 'string') return null;
  const script = join(__dirname, 'import-graph-worker.js');
  return existsSync(script) ? script : null;
}
