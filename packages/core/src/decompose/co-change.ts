/**
 * Which files change together, from `git log --name-only --format=%x00%H -n 500 -- <projectRoot>`
 * (the CLI runs git once, bounded; core parses). Files changed in the same commits belong
 * together: the split planner keeps them in one part when it can.
 */

export interface GitCommitFiles {
  hash: string;
  /** Paths relative to the repository root, as git prints them (unquoted). */
  files: string[];
}

export interface CoChangePair {
  /** a < b. */
  a: string;
  b: string;
  /** Commits that changed both. */
  weight: number;
}

export interface CoChangeOptions {
  /** Commits touching more files are skipped (mass renames, formatting): they say nothing about coupling. Default 50. */
  maxFilesPerCommit?: number;
}

export interface CoChangeWeights {
  pairs: CoChangePair[];
  commitsUsed: number;
  commitsSkipped: number;
}

export const DEFAULT_MAX_FILES_PER_COMMIT = 50;

/** Parses the log into commits, newest first as git prints them. Tolerates CRLF and quoted paths. */
export function parseGitLog(text: string): GitCommitFiles[] {
  const commits: GitCommitFiles[] = [];
  for (const chunk of text.split('\0')) {
    const lines = chunk.split(/\r?\n/);
    const hash = (lines[0] ?? '').trim();
    if (!/^[0-9a-f]{7,64}$/i.test(hash)) continue;
    const files = [...new Set(lines.slice(1).map((line) => line.trim()).filter((line) => line.length > 0).map(unquoteGitPath))];
    commits.push({ hash, files });
  }
  return commits;
}

/**
 * Pair weights over `files` (the project's files): how many commits changed both. Commits with
 * more than maxFilesPerCommit files (counting every file, in or out of the project) are skipped.
 */
export function coChangeWeights(commits: readonly GitCommitFiles[], files: readonly string[], options: CoChangeOptions = {}): CoChangeWeights {
  const maxFiles = options.maxFilesPerCommit ?? DEFAULT_MAX_FILES_PER_COMMIT;
  const known = new Set(files);
  const weights = new Map<string, number>();
  let commitsUsed = 0;
  let commitsSkipped = 0;
  for (const commit of commits) {
    if (commit.files.length > maxFiles) {
      commitsSkipped++;
      continue;
    }
    const changed = [...new Set(commit.files.filter((file) => known.has(file)))].sort();
    if (changed.length === 0) continue;
    commitsUsed++;
    for (let i = 0; i < changed.length; i++) {
      for (let j = i + 1; j < changed.length; j++) {
        const key = `${changed[i]}\0${changed[j]}`;
        weights.set(key, (weights.get(key) ?? 0) + 1);
      }
    }
  }
  const pairs = [...weights.entries()]
    .map(([key, weight]) => {
      const [a, b] = key.split('\0') as [string, string];
      return { a, b, weight };
    })
    .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  return { pairs, commitsUsed, commitsSkipped };
}

/** git quotes paths with unusual bytes: "dir/\303\251.ts" -> dir/é.ts. */
function unquoteGitPath(path: string): string {
  if (!(path.startsWith('"') && path.endsWith('"') && path.length >= 2)) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
