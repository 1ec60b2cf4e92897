import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createImportResolver, type ResolverSettings } from './import-resolver';
import { readModuleRecord } from './module-record';

/** One import of a file, resolved. Plain data: it crosses from worker threads. */
export interface ResolvedImport {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
  /** Absolute path it resolves to; undefined when nothing matches (a package not installed, a builtin, a missing file). */
  resolved?: string;
}

export interface FileImports {
  /** Size on disk in bytes. */
  bytes: number;
  imports: ResolvedImport[];
  /** The parser's message when it could not read the file (then `imports` is empty), or why the file could not be read. */
  error?: string;
}

/** Reads and resolves the imports of files (absolute paths) one after another: the work of one thread. */
export function createFileImportsReader(settings: ResolverSettings): (file: string) => FileImports {
  const resolverFor = createImportResolver(settings);
  return (file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      return { bytes: 0, imports: [], error: `could not read it: ${error instanceof Error ? error.message : String(error)}` };
    }
    const record = readModuleRecord(file, bytes.toString('utf8'));
    const imports: ResolvedImport[] = [];
    const resolve = resolverFor(dirname(file));
    for (const entry of record.imports) {
      const resolved = resolve(entry.specifier);
      imports.push({ specifier: entry.specifier, typeOnly: entry.typeOnly, dynamic: entry.kind === 'dynamic', ...(resolved !== undefined ? { resolved } : {}) });
    }
    return record.error === undefined ? { bytes: bytes.length, imports } : { bytes: bytes.length, imports, error: record.error };
  };
}
