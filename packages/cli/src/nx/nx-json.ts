import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The branch nx compares against when no --base is given: nx.json `defaultBase`, or the
 * older `affected.defaultBase`; null when nx.json sets neither (or cannot be read).
 */
export function readNxDefaultBase(workspaceRoot: string): string | null {
  try {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as {
      defaultBase?: unknown;
      affected?: { defaultBase?: unknown };
    };
    const base = nxJson.defaultBase ?? nxJson.affected?.defaultBase;
    return typeof base === 'string' && base.trim() !== '' ? base.trim() : null;
  } catch {
    return null; // a missing or broken nx.json is reported by the nx run itself
  }
}
