import type { ErrorRenderer } from '../surface.js';

/** AudioDN: `{ ok: false, message, api_request_id }`. */
export const renderCollectionsError: ErrorRenderer = (err, request) => ({
  ok: false,
  message: err.expose ? err.message : 'Internal server error',
  api_request_id: request.id,
});

/** AudioDN success envelope: the resource under its own key beside `ok` and `api_request_id`. */
export const ok = <T extends Record<string, unknown>>(request: { id: string }, body: T) => ({ ok: true as const, api_request_id: request.id, ...body });

/**
 * `ok` for a body that holds resources already rendered as JSON text (under `json`): they are
 * spliced in instead of being parsed and serialized again. Sent with a JSON content type.
 */
export function okJson(reply: { type(t: string): unknown }, request: { id: string }, body: Record<string, unknown>, json: Record<string, string>): string {
  reply.type('application/json; charset=utf-8');
  let text = JSON.stringify(ok(request, body)).slice(0, -1);
  for (const key in json) text += `,${JSON.stringify(key)}:${json[key]}`;
  return `${text}}`;
}
