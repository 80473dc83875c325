import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../errors.js';
import { AppError as AppErrorClass } from '../errors.js';
import { normalizeError } from './normalize-error.js';
import type { Actor } from '../domain/access.js';
import type { AuthService } from '../services/auth.service.js';

export type ErrorRenderer = (err: AppError, request: FastifyRequest) => unknown;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every route of the application as registered (method and URL pattern), HEAD aside. */
    routeTable: ReadonlyArray<{ method: string; url: string }>;
  }
  interface FastifyContextConfig {
    /** Routes that take no Bearer credential (share tokens, session ids in the URL, public pages). */
    public?: boolean;
  }
}

export interface SurfaceOptions {
  render: ErrorRenderer;
  auth?: AuthService;
  notFound?: boolean;
  /**
   * Whether browser-facing keys (player, uploader, share) may call this surface at all. Closed by
   * default: only a surface built for them (collections) opens it, and decides per operation.
   */
  scopedKeys?: 'allow' | 'refuse';
}

/**
 * Gives a surface (a plugin scope) its own error envelope, 404 handler and Bearer auth.
 * Called inside the surface's encapsulated plugin so nothing leaks to the others.
 *
 * The credential is checked in `onRequest`, before a byte of the body is read: a request
 * without one costs the server its headers and nothing more.
 */
export function setupSurface(app: FastifyInstance, opts: SurfaceOptions): void {
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply, opts.render));
  // One 404 handler per URL prefix: scopes without a prefix of their own leave it to the root.
  if (opts.notFound !== false) app.setNotFoundHandler((request, reply) =>
    sendError(new AppErrorClass(404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`), request, reply, opts.render),
  );
  if (opts.auth) {
    const auth = opts.auth;
    const refuseScopedKeys = opts.scopedKeys !== 'allow';
    app.addHook('onRequest', async (request) => {
      if (request.is404 || request.routeOptions.config?.public) return;
      const actor = await auth.authenticate(request.headers.authorization);
      if (refuseScopedKeys && actor.key && actor.key.type !== 'server') {
        throw new AppErrorClass(403, 'key_not_allowed', `A ${actor.key.type} key cannot use this API; use a server key or a user token`);
      }
      request.actor = actor;
    });
  }
}

/** The client hung up before its request was whole: not our failure, and nobody is left to answer. */
function clientAborted(err: unknown, request: FastifyRequest): boolean {
  if (request.raw.complete) return false;
  const e = err as { code?: string; message?: string } | null;
  return request.raw.destroyed || e?.code === 'ECONNRESET' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.message === 'aborted';
}

export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply, render: ErrorRenderer) {
  if (!(err instanceof AppErrorClass) && clientAborted(err, request)) {
    request.log.info({ code: 'client_aborted' }, 'client closed the connection before sending the whole request');
    const aborted = new AppErrorClass(400, 'client_aborted', 'The request was not sent completely');
    return reply.status(400).header('connection', 'close').send(render(aborted, request));
  }
  const appErr = normalizeError(err);
  if (appErr.status >= 500) {
    request.log.error({ err: appErr.cause ?? err, code: appErr.code }, 'request failed');
  } else {
    request.log.info({ code: appErr.code, status: appErr.status }, appErr.message);
  }
  // An error that knows when to come back (a lockout, a rate limit) says so in Retry-After.
  const retryAfter = appErr.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0 && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', String(Math.ceil(retryAfter)));
  }
  return reply.status(appErr.status).send(render(appErr, request));
}

/** The actor of an authenticated route; routes marked public never call it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppErrorClass(401, 'unauthorized', 'Unauthorized');
  return request.actor;
}
