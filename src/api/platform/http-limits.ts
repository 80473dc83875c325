import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body is streamed to storage (uploads), so the buffered-body deadline does not apply. */
    streamingBody?: boolean;
  }
}

/** Bodies parsed into memory (JSON, forms) are capped here unless a route sets its own bodyLimit. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** The bulk routes take many items in one document. */
export const BULK_BODY_LIMIT = 10 * 1024 * 1024;

/**
 * The server's clocks: a request must arrive whole within `requestTimeout` (long enough for a
 * large upload), a connection that says nothing for `connectionTimeout` is closed, and an idle
 * keep-alive connection is let go after `keepAliveTimeout`.
 */
export function serverTimeouts(config: Pick<Config, 'http'>) {
  return {
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
  };
}

const hasBody = (request: FastifyRequest): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

const isStreamed = (request: FastifyRequest): boolean =>
  request.routeOptions.config?.streamingBody === true || /^multipart\//i.test(request.headers['content-type'] ?? '');

/**
 * Limits that protect the server from clients that send slowly or send what nobody asked for:
 * - a body parsed into memory must arrive within `bodyTimeoutMs`, or the client gets 408 and the
 *   connection is closed (streamed uploads are bounded by the server's request timeout instead);
 * - any answer sent before the request body was read closes the connection, so a refused
 *   request (no credential, too large) is never drained.
 */
export function registerHttpLimits(app: FastifyInstance<any, any, any, any, any>, opts: { bodyTimeoutMs: number }): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (hasBody(request) && !isStreamed(request)) {
      const timer = setTimeout(() => answerBodyTimeout(request, reply), opts.bodyTimeoutMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      request.raw.once('end', clear);
      request.raw.once('close', clear);
    }
    done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (hasBody(request) && !request.raw.complete) reply.header('connection', 'close');
    return payload;
  });
}

function answerBodyTimeout(request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.complete || reply.sent || reply.raw.headersSent) return;
  request.log.info({ code: 'body_timeout' }, 'request body did not arrive in time');
  reply.hijack();
  const body = JSON.stringify({ error: { code: 'body_timeout', message: 'The request body did not arrive in time' } });
  reply.raw.writeHead(408, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  reply.raw.end(body, () => request.raw.socket?.destroy());
}

/**
 * Answers a request Node could not parse (headers too large, malformed, timed out). Like
 * Fastify's default, but a HEAD gets its status line and headers only, never a body.
 */
export function clientErrorHandler(err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request headers are too large']
        : [400, 'Malformed request'];
  const head = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 5).toString('latin1') : '';
  const body = head === 'HEAD ' ? '' : JSON.stringify({ error: { code: status === 431 ? 'headers_too_large' : status === 408 ? 'request_timeout' : 'bad_request', message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
