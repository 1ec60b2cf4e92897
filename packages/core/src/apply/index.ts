export * from './file-transaction';
export * from './applied-record';
export * from './change-set';
