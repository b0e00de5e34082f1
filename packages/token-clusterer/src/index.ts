export * from './kmeans.js';
