import { describe, expect, it } from 'vitest';
import { filesChangedSinceHashed, hashFileContent, parsePlanDocument, withFileHashes, type ShardPlan, type SplitPlan } from '@sixty/core';

const files: Record<string, string> = { 'libs/a/src/x.ts': 'export const x = 1;\n', 'libs/a/src/index.ts': "export * from './x';\n" };
const contentOf = (file: string): string | undefined => files[file];

const split: SplitPlan = {
  schemaVersion: 1,
  kind: 'split',
  task: 'a:build',
  budgetMs: 1000,
  rationale: '',
  source: 'local',
  projects: [{ name: 'a-x', root: 'libs/a-x', files: ['libs/a/src/x.ts'], dependsOn: [], entry: 'libs/a-x/src/index.ts', estimatedMs: 1 }],
  keptFiles: ['libs/a/src/index.ts'],
};

describe('plan file hashes (what lets an apply refuse a stale plan)', () => {
  it('records the SHA-256 of every file a split plan places, sorted by path; a shard plan is left as it is', () => {
    expect(withFileHashes(split, contentOf).fileHashes).toEqual([
      { file: 'libs/a/src/index.ts', sha256: hashFileContent("export * from './x';\n") },
      { file: 'libs/a/src/x.ts', sha256: hashFileContent('export const x = 1;\n') },
    ]);
    expect(hashFileContent('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const shard: ShardPlan = { schemaVersion: 1, kind: 'shard', task: 'a:test', budgetMs: 1, rationale: '', source: 'local', shards: [] };
    expect(withFileHashes(shard, contentOf)).toBe(shard);
  });

  it('names the files changed or gone since', () => {
    const hashes = withFileHashes(split, contentOf).fileHashes!;
    expect(filesChangedSinceHashed(hashes, (file) => (file === 'libs/a/src/x.ts' ? 'export const x = 2;\n' : undefined))).toEqual([
      { file: 'libs/a/src/index.ts', reason: 'missing' },
      { file: 'libs/a/src/x.ts', reason: 'changed' },
    ]);
    expect(filesChangedSinceHashed(hashes, contentOf)).toEqual([]);
  });

  it('is part of the Plan schema: a hash must be 64 lowercase hex digits', () => {
    expect(parsePlanDocument(withFileHashes(split, contentOf)).ok).toBe(true);
    expect(parsePlanDocument({ ...split, fileHashes: [{ file: 'libs/a/src/x.ts', sha256: 'NOT-A-HASH' }] })).toEqual({
      ok: false,
      unreadable: false,
      problems: ['plan.fileHashes[0].sha256: must match pattern "^[0-9a-f]{64}$"'],
    });
  });
});
