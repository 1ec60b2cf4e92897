import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { hashFileContent } from '../plan/file-hashes';
import { stateOf, type FileChange } from './file-transaction';

/**
 * What a committed apply left in the workspace, path by path, written in the same transaction:
 * "already applied" is said only when every path is still exactly so.
 */
export interface AppliedRecord {
  schemaVersion: 1;
  task: string;
  planSha256: string;
  appliedAtMs: number;
  /** Workspace-relative paths: a file's SHA-256, a link's target, or null for a path the apply removed. */
  paths: Array<{ path: string; sha256?: string; link?: string; absent?: true }>;
}

/** Where the record of a plan's apply lives: `<historyDir>/applied/<plan sha256>.json`. */
export function appliedRecordPath(historyDir: string, planSha256: string): string {
  return join(historyDir, 'applied', `${planSha256}.json`);
}

/** The record of `changes` (absolute paths under `workspaceRoot`) once committed. Reads the sources of copies. */
export function appliedRecordOf(workspaceRoot: string, header: Omit<AppliedRecord, 'schemaVersion' | 'paths'>, changes: readonly FileChange[]): AppliedRecord {
  const paths = changes.map((change) => {
    const path = relative(workspaceRoot, change.path).split('\\').join('/');
    switch (change.kind) {
      case 'delete':
        return { path, absent: true as const };
      case 'symlink':
        return { path, link: change.target };
      case 'copy':
        return { path, sha256: hashFileContent(readFileSync(change.from)) };
      case 'write':
        return { path, sha256: hashFileContent(change.content) };
    }
  });
  return { schemaVersion: 1, ...header, paths };
}

export function readAppliedRecord(historyDir: string, planSha256: string): AppliedRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(appliedRecordPath(historyDir, planSha256), 'utf8')) as AppliedRecord;
    return record.schemaVersion === 1 && Array.isArray(record.paths) && record.planSha256 === planSha256 ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The recorded paths that are no longer as the apply left them. */
export function appliedRecordDifferences(workspaceRoot: string, record: AppliedRecord): string[] {
  const differences: string[] = [];
  for (const entry of record.paths) {
    if (isAbsolute(entry.path) || entry.path.split('/').includes('..')) {
      differences.push(entry.path);
      continue;
    }
    const now = stateOf(join(workspaceRoot, entry.path));
    const same = entry.absent ? now.type === 'absent' : entry.link !== undefined ? now.type === 'symlink' && now.target === entry.link : now.type === 'file' && now.sha256 === entry.sha256;
    if (!same) differences.push(entry.path);
  }
  return differences;
}
