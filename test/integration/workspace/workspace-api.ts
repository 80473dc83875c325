import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from '../../helpers/app.js';
import { bearer } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';

export const BASE = '/api/swayzio/v1';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Calls the workspace API as one credential. */
export function client(t: TestApp, token: string | null) {
  const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url: url.startsWith('/api/') ? url : `${BASE}${url}`,
      headers: { ...(token ? bearer(token) : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  return {
    call,
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) => call('POST', url, payload, headers),
    put: (url: string, payload?: unknown) => call('PUT', url, payload),
    patch: (url: string, payload?: unknown) => call('PATCH', url, payload),
    del: (url: string) => call('DELETE', url),
  };
}
export type Client = ReturnType<typeof client>;

const CONTENT_TYPES: Record<string, string> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.png': 'image/png', '.pdf': 'application/pdf', '.txt': 'text/plain' };

/** Creates an intent through the API, PUTs the bytes to the signed URL and (by default) finalizes. */
export async function uploadThroughApi(
  t: TestApp,
  api: Client,
  intentUrl: string,
  file: { name: string; bytes: Buffer; contentType?: string; extra?: Record<string, unknown> },
  opts: { finalize?: boolean } = {},
) {
  const contentType = file.contentType ?? CONTENT_TYPES[path.extname(file.name)] ?? 'application/octet-stream';
  const intent = await api.post(intentUrl, { fileName: file.name, contentType, byteSize: file.bytes.length, ...file.extra });
  if (intent.statusCode !== 201) throw new Error(`intent answered ${intent.statusCode}: ${intent.body}`);
  const ticket = intent.json() as { uploadId: string; trackId: string; assetId: string; signedUrl: string; requiredHeaders: Record<string, string>; finalizeUrl: string };
  const put = await t.app.inject({ method: 'PUT', url: injectPath(ticket.signedUrl), headers: ticket.requiredHeaders, payload: file.bytes });
  if (put.statusCode !== 200) throw new Error(`PUT answered ${put.statusCode}: ${put.body}`);
  const finalized = opts.finalize === false ? null : await api.post(ticket.finalizeUrl);
  if (finalized && finalized.statusCode !== 200) throw new Error(`finalize answered ${finalized.statusCode}: ${finalized.body}`);
  return { ticket, finalized: finalized?.json() as Record<string, unknown> | undefined };
}

/** A new track from an audio file, through POST /v1/uploads. */
export async function createTrack(t: TestApp, api: Client, file: string | { name: string; bytes: Buffer }, opts: { finalize?: boolean } = {}) {
  const f = typeof file === 'string' ? { name: path.basename(file), bytes: readFileSync(file) } : file;
  const { ticket } = await uploadThroughApi(t, api, '/uploads', f, opts);
  return ticket.trackId;
}
