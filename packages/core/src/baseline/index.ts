export { BASELINE_SCHEMA_VERSION, baselineRecordedTime, splitBaselineKey, type Baseline, type BaselineShard, type BaselineShardCost, type BaselineTarget, type BaselineTargetConfig } from './baseline-types';
export { parseBaseline, sameTargetConfig, serializeBaseline } from './baseline-file';
export { buildBaseline, type BaselineTargetSource, type BuildBaselineInput } from './build-baseline';
export {
  baselineStaleness,
  DEFAULT_STALENESS_THRESHOLD,
  isInferredShardTarget,
  type BaselineStaleness,
  type StalenessOptions,
  type TargetDrift,
} from './baseline-staleness';
