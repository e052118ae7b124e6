export * from './auc.ts';
export * from './correlation.ts';
export * from './evaluate.ts';
export * from './jitter.ts';
export * from './report.ts';
export * from './resize.ts';
export * from './saliency.ts';
export * from './words.ts';
