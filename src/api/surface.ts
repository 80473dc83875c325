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
  interface FastifyContextConfig {
    /** Routes that take no Bearer credential (share tokens, session ids in the URL, public pages). */
    public?: boolean;
  }
}

/**
 * Gives a surface (a plugin scope) its own error envelope, 404 handler and Bearer auth.
 * Called inside the surface's encapsulated plugin so nothing leaks to the others.
 */
export function setupSurface(app: FastifyInstance, opts: { render: ErrorRenderer; auth?: AuthService; notFound?: boolean }): void {
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply, opts.render));
  // One 404 handler per URL prefix: scopes without a prefix of their own leave it to the root.
  if (opts.notFound !== false) app.setNotFoundHandler((request, reply) =>
    sendError(new AppErrorClass(404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`), request, reply, opts.render),
  );
  if (opts.auth) {
    const auth = opts.auth;
    app.addHook('preHandler', async (request) => {
      if (request.is404 || request.routeOptions.config?.public) return;
      request.actor = await auth.authenticate(request.headers.authorization);
    });
  }
}

export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply, render: ErrorRenderer) {
  const appErr = normalizeError(err);
  if (appErr.status >= 500) {
    request.log.error({ err: appErr.cause ?? err, code: appErr.code }, 'request failed');
  } else {
    request.log.info({ code: appErr.code, status: appErr.status }, appErr.message);
  }
  return reply.status(appErr.status).send(render(appErr, request));
}

/** The actor of an authenticated route; routes marked public never call it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppErrorClass(401, 'unauthorized', 'Unauthorized');
  return request.actor;
}
