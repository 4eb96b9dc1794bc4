import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HostedUi } from '../context.js';

/**
 * An OAuth2/OIDC endpoint of the Hosted UI host: its path, its methods and its handler. The registry
 * (endpoints/registry.ts) lists them; the server mounts each one.
 */
export interface HostedUiEndpoint {
  path: string;
  methods: readonly ('GET' | 'POST')[];
  handle(ui: HostedUi, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}
