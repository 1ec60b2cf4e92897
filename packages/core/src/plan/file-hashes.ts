import { createHash } from 'node:crypto';
import type { Plan, PlanFileHash, SplitPlan } from './plan-types';

/** Reads one workspace-relative file; undefined when it cannot be read. */
export type FileContentReader = (file: string) => string | Uint8Array | undefined;

/** SHA-256 of a file's bytes, hex: what a plan records so an apply can tell the file changed. */
export function hashFileContent(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Every file a split plan places: the parts' files, then the files the old project keeps. */
export function splitPlanFiles(plan: SplitPlan): string[] {
  return [...plan.projects.flatMap((project) => project.files), ...(plan.keptFiles ?? [])];
}

/**
 * The plan with `fileHashes` of every file it places (sorted by path), so applying it later can
 * refuse when a file changed since planning. Shard plans come back unchanged.
 */
export function withFileHashes<P extends Plan>(plan: P, contentOf: FileContentReader): P {
  if (plan.kind !== 'split') return plan;
  const hashes: PlanFileHash[] = [];
  for (const file of [...new Set(splitPlanFiles(plan))].sort()) {
    const content = contentOf(file);
    if (content !== undefined) hashes.push({ file, sha256: hashFileContent(content) });
  }
  return { ...plan, fileHashes: hashes };
}

/** The recorded files whose content is no longer what was hashed: changed, or gone. */
export function filesChangedSinceHashed(hashes: readonly PlanFileHash[], contentOf: FileContentReader): Array<{ file: string; reason: 'changed' | 'missing' }> {
  const changed: Array<{ file: string; reason: 'changed' | 'missing' }> = [];
  for (const { file, sha256 } of hashes) {
    const content = contentOf(file);
    if (content === undefined) changed.push({ file, reason: 'missing' });
    else if (hashFileContent(content) !== sha256) changed.push({ file, reason: 'changed' });
  }
  return changed;
}
