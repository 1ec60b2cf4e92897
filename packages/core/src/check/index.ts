export * from './failure-excerpt';
export * from './check-result';
export * from './render-check';
export * from './change-coverage';
export * from './ci-matrix';
export * from './test-selection';
export * from './loop-gate';
