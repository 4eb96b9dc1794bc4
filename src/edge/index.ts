export { createEdge, type Edge, type EdgeOptions, type RequestListener } from './router.js';
