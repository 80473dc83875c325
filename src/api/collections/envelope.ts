import type { ErrorRenderer } from '../surface.js';

/** AudioDN: `{ ok: false, message, api_request_id }`. */
export const renderCollectionsError: ErrorRenderer = (err, request) => ({
  ok: false,
  message: err.expose ? err.message : 'Internal server error',
  api_request_id: request.id,
});

/** AudioDN success envelope: the resource under its own key beside `ok` and `api_request_id`. */
export const ok = <T extends Record<string, unknown>>(request: { id: string }, body: T) => ({ ok: true as const, api_request_id: request.id, ...body });
