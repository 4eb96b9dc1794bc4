import type { IdpService } from '../service/index.js';

/** What an operation may use: the domain service only (no HTTP, no store). */
export interface ApiContext {
  service: IdpService;
}

/** One JSON API operation: a validated request in wire shape → a response in wire shape (Dates become epoch seconds). */
export type Operation<Req, Res> = (ctx: ApiContext, req: Req) => Promise<Res>;
