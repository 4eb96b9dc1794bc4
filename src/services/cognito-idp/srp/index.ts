export * from './srp.js';
