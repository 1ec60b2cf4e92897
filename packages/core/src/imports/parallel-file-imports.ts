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

/** What the worker script receives at start-up; the files follow in one ImportWorkerFiles message. */
export interface ImportWorkerData {
  settings: ResolverSettings;
  /** Int32Array[0]: index of the next unclaimed file, shared by every thread. */
  counter: SharedArrayBuffer;
}

/** The files to read, sent once the project's listing is done. */
export interface ImportWorkerFiles {
  files: string[];
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
 * Reads files' imports on this thread and on helper threads. Helpers start while the project is
 * still being listed (`expect`), so their start-up (a new isolate, loading the parser and the
 * resolver) overlaps the listing instead of following it.
 */
export interface ImportReaderPool {
  /** The listing has found this many files so far: start the helpers that many files pay for. */
  expect(files: number): void;
  /**
   * Reads and resolves the imports of every file (absolute paths), in order. Helpers claim runs of
   * files from a shared counter while this thread claims them too, so the work balances whatever
   * each thread's start-up costs; when this thread runs out of files it waits only for runs that
   * helpers have claimed, and a helper that fails leaves its unfinished files to this thread.
   * Results are the same with or without helpers.
   */
  read(files: readonly string[]): Promise<FileImports[]>;
  /** Stops every helper (also when `read` was never called, e.g. the listing failed). */
  close(): void;
}

export function createImportReaderPool(settings: ResolverSettings, options: ParallelReadOptions = {}): ImportReaderPool {
  const script = options.workerScript === undefined ? defaultWorkerScript() : options.workerScript;
  const counter = new SharedArrayBuffer(4);
  const helpers: Worker[] = [];
  let cannotStart = script === null;
  // what read() fills; helpers post results only once they have the files, that is inside read()
  let results: Array<FileImports | undefined> = [];
  let filled = 0;
  let running = 0;
  let wake = (): void => {};
  const startHelpers = (threads: number): void => {
    while (!cannotStart && helpers.length < threads - 1) {
      let helper: Worker;
      try {
        helper = new Worker(script as string, { workerData: { settings, counter } satisfies ImportWorkerData });
      } catch {
        cannotStart = true; // a script that cannot start leaves the files to this thread
        return;
      }
      helpers.push(helper);
      running++;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        running--;
        wake();
      };
      helper.on('message', (message: ImportWorkerMessage) => {
        if ('done' in message) return finish();
        message.results.forEach((result, offset) => (results[message.start + offset] = result));
        filled += message.results.length;
        wake();
      });
      helper.on('error', finish);
      helper.on('exit', finish);
    }
  };
  // an explicit count is taken as given (the benchmark measures the threshold with it)
  if (options.threads !== undefined) startHelpers(options.threads);
  const close = (): void => {
    for (const helper of helpers) void helper.terminate();
  };
  return {
    expect(files) {
      if (options.threads === undefined) startHelpers(Math.min(availableParallelism(), Math.floor(files / MIN_FILES_PER_THREAD)));
    },
    async read(files) {
      results = new Array(files.length);
      const read = createFileImportsReader(settings);
      for (const helper of helpers) helper.postMessage({ files: [...files] } satisfies ImportWorkerFiles);
      const next = new Int32Array(counter);
      for (let start = Atomics.add(next, 0, FILES_PER_CLAIM); start < files.length; start = Atomics.add(next, 0, FILES_PER_CLAIM)) {
        const end = Math.min(files.length, start + FILES_PER_CLAIM);
        for (let index = start; index < end; index++) results[index] = read(files[index] as string);
        filled += end - start;
      }
      // wait only while a helper still owes a run it claimed: one still starting up is not waited for
      await new Promise<void>((resolveWait) => {
        wake = () => {
          if (filled >= files.length || running === 0) resolveWait();
        };
        wake();
      });
      close();
      // a helper that failed may have claimed files it never sent back
      for (let index = 0; index < files.length; index++) results[index] ??= read(files[index] as string);
      return results as FileImports[];
    },
    close,
  };
}

/** The worker script built next to the bundle that runs this code (core's or the CLI's); null when there is none (tests on sources). */
function defaultWorkerScript(): string | null {
  if (typeof __dirname !== 'string') return null;
  const script = join(__dirname, 'import-graph-worker.js');
  return existsSync(script) ? script : null;
}
