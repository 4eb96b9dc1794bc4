import { sendPage } from '../context.js';
import { renderErrorPage } from '../render.js';
import type { HostedUiEndpoint } from './endpoint.js';

/**
 * `GET /branding/<pool>/<scope>/<file>`: a classic customization's logo (`scope` is the client id or `ALL`) or a
 * managed login style's asset (`scope` is the style id), at the URL GetUICustomization's ImageUrl and the pages
 * name (config's `brandingAsset`). Served with the pages' CSP (no script runs, even in an SVG opened directly) and
 * nosniff.
 */
export const brandingAssetEndpoint: HostedUiEndpoint = {
  path: '/branding/:poolId/:scope/:file',
  methods: ['GET'],
  async handle(ui, req, reply) {
    const { poolId, scope, file } = req.params as Record<string, string>;
    const image = ui.service.branding.image(String(poolId), String(scope), String(file));
    if (!image) return sendPage(reply, 404, renderErrorPage('Not found', 'There is no image here.'));
    return reply.code(200).header('content-type', image.type).send(image.bytes);
  },
};
