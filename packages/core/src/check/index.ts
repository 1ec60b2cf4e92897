export * from './failure-excerpt';
export * from './check-result';
export * from './render-check';
export * from './affected-projects';
export * from './ci-matrix';
