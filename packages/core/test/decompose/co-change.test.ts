import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { coChangeWeights, parseGitLog } from '@sixty/core';
import { addFiles, removeTree, writeTree } from '../imports/temp-tree';

const roots: string[] = [];
afterEach(() => {
  while (roots.length > 0) removeTree(roots.pop() as string);
});

const HASH_1 = 'c874048aaa9dd9b22acb4b859a62ba6239eb7e2f';
const HASH_2 = '91d2803eb6e9a4e56b178784036bb874c742e723';
const HASH_3 = '0123456789abcdef0123456789abcdef01234567';

describe('parseGitLog', () => {
  it('splits the NUL-separated log into commits with their files, unquoting paths and tolerating CRLF', () => {
    const text = `\0${HASH_1}\n\nlibs/a/x.ts\nlibs/a/y.ts\n\0${HASH_2}\r\n\r\nlibs/a/x.ts\r\n"libs/a/\\303\\251 t\\"q\\".ts"\r\n\0${HASH_3}\n`;
    expect(parseGitLog(text)).toEqual([
      { hash: HASH_1, files: ['libs/a/x.ts', 'libs/a/y.ts'] },
      { hash: HASH_2, files: ['libs/a/x.ts', 'libs/a/é t"q".ts'] },
      { hash: HASH_3, files: [] },
    ]);
    expect(parseGitLog('')).toEqual([]);
    expect(parseGitLog('fatal: not a git repository')).toEqual([]);
  });

  it('parses what git itself prints', () => {
    const root = writeTree({ 'libs/a/x.ts': '1', 'libs/a/y.ts': '1', 'libs/b/z.ts': '1' }, 'sixty-git-');
    roots.push(root);
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.email=t@sixty.dev', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    addFiles(root, { 'libs/a/x.ts': '2', 'libs/b/z.ts': '2' });
    git('commit', '-q', '-am', 'two');
    const commits = parseGitLog(git('log', '--name-only', '--format=%x00%H', '-n', '500', '--', 'libs/a'));
    expect(commits.map((commit) => commit.files)).toEqual([['libs/a/x.ts'], ['libs/a/x.ts', 'libs/a/y.ts']]);
    expect(commits.every((commit) => /^[0-9a-f]{40}$/.test(commit.hash))).toBe(true);
  });
});

describe('coChangeWeights', () => {
  it('counts commits per pair of project files and skips commits over the size limit', () => {
    const commits = [
      { hash: 'a1', files: ['x', 'y', 'z', 'elsewhere'] },
      { hash: 'a2', files: ['y', 'x'] },
      { hash: 'a3', files: ['x'] },
      { hash: 'a4', files: ['outside-only'] },
      { hash: 'a5', files: Array.from({ length: 51 }, (_, i) => (i === 0 ? 'x' : i === 1 ? 'y' : `bulk-${i}`)) },
    ];
    expect(coChangeWeights(commits, ['x', 'y', 'z'])).toEqual({
      pairs: [
        { a: 'x', b: 'y', weight: 2 },
        { a: 'x', b: 'z', weight: 1 },
        { a: 'y', b: 'z', weight: 1 },
      ],
      commitsUsed: 3,
      commitsSkipped: 1,
    });
    expect(coChangeWeights(commits, ['x', 'y'], { maxFilesPerCommit: 3 }).pairs).toEqual([{ a: 'x', b: 'y', weight: 1 }]);
  });
});
