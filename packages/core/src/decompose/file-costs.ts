import { SixtyError } from '../errors/sixty-error';

/** A file and its size on disk (ImportGraphFile has this shape). */
export interface FileSize {
  path: string;
  bytes: number;
}

export interface FileCost {
  path: string;
  costMs: number;
  /** junit: measured in a JUnit report; estimate: scaled from the file's size. */
  source: 'junit' | 'estimate';
}

/**
 * What a file costs beyond its bytes: loading, transforming and collecting even an empty
 * module takes time, so tiny files are not free.
 */
export const FILE_OVERHEAD_BYTES = 256;

export interface TestFileCostOptions {
  testFiles: readonly FileSize[];
  /** Measured ms per test file (readJUnitFileTimes().byFile); files missing here are estimated. */
  measuredMs?: Readonly<Record<string, number>>;
  /** The target's recorded p90: the costs are scaled to sum to it (runner start-up and overhead spread by share). */
  targetP90Ms?: number;
}

/**
 * Per-test-file cost: measured times where reports have them, size estimates at the measured
 * rate for the rest; then everything scaled so the files sum to the target's p90. Without
 * any measurement, sizes alone split the p90.
 */
export function estimateTestFileCosts(options: TestFileCostOptions): FileCost[] {
  const measured = new Map<string, number>();
  for (const file of options.testFiles) {
    const value = options.measuredMs && Object.prototype.hasOwnProperty.call(options.measuredMs, file.path) ? options.measuredMs[file.path] : undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) measured.set(file.path, value);
  }
  if (measured.size === 0) {
    if (options.targetP90Ms === undefined) {
      throw new SixtyError('INVALID_ARGUMENT', 'no JUnit times and no recorded p90 to estimate test file costs from', 'run the target once with sixty recording (nx run <project>:<target>), or point sixty at its JUnit report');
    }
    return scaleBySize(options.testFiles, options.targetP90Ms);
  }
  let measuredMs = 0;
  let measuredWeight = 0;
  for (const file of options.testFiles) {
    const value = measured.get(file.path);
    if (value === undefined) continue;
    measuredMs += value;
    measuredWeight += weightOf(file);
  }
  const msPerWeight = measuredWeight > 0 ? measuredMs / measuredWeight : 0;
  const raw = options.testFiles.map((file): FileCost => {
    const value = measured.get(file.path);
    return value === undefined ? { path: file.path, costMs: weightOf(file) * msPerWeight, source: 'estimate' } : { path: file.path, costMs: value, source: 'junit' };
  });
  const rawTotal = raw.reduce((sum, cost) => sum + cost.costMs, 0);
  if (options.targetP90Ms === undefined || rawTotal <= 0) return raw;
  const factor = options.targetP90Ms / rawTotal;
  return raw.map((cost) => ({ ...cost, costMs: cost.costMs * factor }));
}

/** Build cost per module: the target's p90 split over its files by size. */
export function estimateModuleCosts(files: readonly FileSize[], targetP90Ms: number): FileCost[] {
  return scaleBySize(files, targetP90Ms);
}

/** Splits totalMs over the files in proportion to bytes + FILE_OVERHEAD_BYTES; the costs sum to totalMs. */
export function scaleBySize(files: readonly FileSize[], totalMs: number): FileCost[] {
  if (!(Number.isFinite(totalMs) && totalMs >= 0)) {
    throw new SixtyError('INVALID_ARGUMENT', `the time to spread over files must be a non-negative number of ms, got ${totalMs}`, 'pass the target p90 in ms');
  }
  const totalWeight = files.reduce((sum, file) => sum + weightOf(file), 0);
  return files.map((file) => ({ path: file.path, costMs: totalWeight > 0 ? (totalMs * weightOf(file)) / totalWeight : 0, source: 'estimate' }));
}

function weightOf(file: FileSize): number {
  return (Number.isFinite(file.bytes) && file.bytes > 0 ? file.bytes : 0) + FILE_OVERHEAD_BYTES;
}
