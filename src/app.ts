import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from './container.js';
import { registerAdminRoutes, registerWhoamiRoute } from './api/platform/admin.routes.js';
import { registerDeliveryProviderAdminRoutes } from './api/platform/delivery-providers.routes.js';
import { registerDocs } from './api/platform/docs.plugin.js';
import { renderPlatformError } from './api/platform/envelope.js';
import { clientErrorHandler, JSON_BODY_LIMIT, registerHttpLimits, serverTimeouts } from './api/platform/http-limits.js';
import { registerJsonBodyParser } from './api/platform/json-body.js';
import { registerHealthRoutes } from './api/platform/health.routes.js';
import { registerMetrics } from './api/platform/metrics.plugin.js';
import { setupSurface } from './api/surface.js';
import { registerCollectionsSurface } from './api/collections/index.js';
import { registerWorkspaceSurface } from './api/workspace/index.js';
import { registerDistributionSurface } from './api/distribution/index.js';
import { registerLocalStorageRoutes } from './storage/local-storage.routes.js';
import { registerRemoteCallbackRoutes } from './api/platform/remote-callback.routes.js';
import { registerPageRoutes } from './api/platform/pages.routes.js';

export interface BuildAppOptions {
  logger?: boolean | object;
}

/** Builds the HTTP application on a container. Tests call this with a fresh database. */
export async function buildApp(container: Container, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: container.config.logLevel },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: JSON_BODY_LIMIT,
    ...serverTimeouts(container.config),
    clientErrorHandler,
    routerOptions: { maxParamLength: 500 },
    trustProxy: container.config.trustProxy,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  // Every route, as registered: the credential matrix test checks it has a row for each.
  const routeTable: Array<{ method: string; url: string }> = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses are plain objects built by presenters; schemas document them, the serializer does not re-validate.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest('actor', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  registerHttpLimits(app, { bodyTimeoutMs: container.config.http.bodyTimeoutMs });
  registerJsonBodyParser(app);
  registerMetrics(app, container.events);
  await registerDocs(app, container.config.publicUrl);

  // Ledgerline's own routes share one envelope; each compatible surface gets its own.
  await app.register(async (platform) => {
    setupSurface(platform, { render: renderPlatformError, notFound: false });
    registerHealthRoutes(platform, container.readiness);
    const { store } = container;
    if (store.kind === 'local') {
      await platform.register(async (storage) =>
        registerLocalStorageRoutes(storage, {
          store,
          claimWrite: (key) => container.services.uploads.claimWrite(key),
          onObjectWritten: (key) => container.services.uploads.onObjectWritten(key),
        }),
      );
    }
    await platform.register(async (internal) => registerRemoteCallbackRoutes(internal, container));
    await platform.register(async (pages) => registerPageRoutes(pages, container));
    await platform.register(async (authed) => {
      setupSurface(authed, { render: renderPlatformError, auth: container.services.auth, notFound: false, scopedKeys: 'allow' });
      registerWhoamiRoute(authed);
    });
    await platform.register(async (admin) => {
      setupSurface(admin, { render: renderPlatformError, auth: container.services.auth, notFound: false });
      registerAdminRoutes(admin, container);
      registerDeliveryProviderAdminRoutes(admin, container);
    });
  });
  await app.register(async (s) => registerCollectionsSurface(s, container), { prefix: '/v1' });
  await app.register(async (s) => registerWorkspaceSurface(s, container), { prefix: '/api/swayzio' });
  await app.register(async (s) => registerDistributionSurface(s, container));

  return app;
}
