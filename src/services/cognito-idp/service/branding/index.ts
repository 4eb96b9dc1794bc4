export type { PageLook } from './service.js';
export { BrandingService } from './service.js';
