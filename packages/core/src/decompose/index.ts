export * from './file-costs';
export * from './co-change';
export * from './plan-split';
export * from './run-startup';
export * from './split-loop-times';
export * from './plan-declaration-inputs';
export * from './declaration-emit';
export * from './planning-input';
