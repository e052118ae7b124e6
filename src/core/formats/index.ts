export * from './located.ts';
export * from './common.ts';
export * from './taskpack.ts';
export * from './annotations.ts';
export * from './dataset.ts';
export * from './predictions.ts';
