import { readFileSync, statSync } from 'node:fs';

/**
 * What the import graph reads files through, by absolute path: the disk, or an Nx Tree (the
 * decompose generator), so both follow one set of rules.
 */
export interface FileLookup {
  isFile(path: string): boolean;
  /** The file's text; undefined when there is no such file or it cannot be read. */
  readText(path: string): string | undefined;
}

export const diskFileLookup: FileLookup = {
  isFile(path) {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
