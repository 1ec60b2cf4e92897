import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, nx, reportJson } from './workspace';

describe('the plugin under the newest nx major (24.x)', () => {
  it('loads, records run-many with nx 24 and the report reads it', () => {
    const ws = createWorkspace({ projects: 4, files: 2, seed: 21, nx: 'latest', git: false });
    try {
      const version = nx(ws.root, ['--version']);
      expect(version.stdout).toMatch(/24\.\d+\.\d+/);
      const result = nx(ws.root, ['run-many', '-t', 'build', 'test']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain('[sixty]');
      const dir = join(ws.root, '.sixty', 'runs');
      const run = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8').split('\n')[0]!) as { nxVersion: string };
      expect(run.nxVersion).toMatch(/^24\./);
      const report = reportJson(ws.root);
      expect(report.targets).toHaveLength(8);
      expect(report.targets.every((t) => t.executions === 1)).toBe(true);
    } finally {
      ws.remove();
    }
  });
});
