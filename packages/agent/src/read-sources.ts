import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { isInsideDirectory, type PlanningInput } from '@sixty/core';
import type { SourceFile } from './brief';

export interface SourceCaps {
  /** Bytes of one file kept in the brief; the rest is cut. */
  maxFileBytes: number;
  /** Bytes of all files together; files past it are left out. */
  maxTotalBytes: number;
}

/**
 * Reads the contents of the files the plan places (facts from the import graph, never paths
 * from a model), for `--include-source`: in path order, each cut to maxFileBytes, stopping at
 * maxTotalBytes. Symbolic links, files outside the project and binary files are skipped.
 */
export function readSourceFiles(workspaceRoot: string, input: PlanningInput, caps: SourceCaps): SourceFile[] {
  const files: SourceFile[] = [];
  let total = 0;
  const linked = input.validation.symlinksOutside ?? [];
  for (const path of [...input.validation.projectFiles].sort()) {
    if (total >= caps.maxTotalBytes) break;
    if (!isInsideDirectory(path, input.projectRoot) || linked.some((link) => isInsideDirectory(path, link))) continue;
    const absolute = join(workspaceRoot, path);
    let size: number;
    try {
      const stat = lstatSync(absolute);
      if (!stat.isFile()) continue;
      size = stat.size;
    } catch {
      continue; // gone since the graph was read: nothing to show
    }
    const budget = Math.min(caps.maxFileBytes, caps.maxTotalBytes - total);
    const buffer = Buffer.alloc(Math.min(size, budget));
    const descriptor = openSync(absolute, 'r');
    let read: number;
    try {
      read = readSync(descriptor, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(descriptor);
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.includes(0)) continue;
    // cut on a character boundary: a split UTF-8 sequence would decode to a replacement character
    const text = bytes.toString('utf8').replace(/\uFFFD$/, '');
    files.push({ path, bytes: size, text, truncated: read < size });
    total += read;
  }
  return files;
}
