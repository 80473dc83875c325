import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { presentCollaborator } from './split-sheet.presenter.js';
import { collaboratorBody, collaboratorListQuery, collaboratorParams, collaboratorPatch } from './split-sheet.schemas.js';

const tags = ['workspace'];

/** The parties split sheets name: name, email, PRO and IPI. */
export function registerCollaboratorRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { collaborators } = c.modules.workspace;

  app.get('/v1/collaborators', { schema: { tags, summary: 'Your collaborators', querystring: collaboratorListQuery } }, async (request) => {
    const page = await collaborators.list(actorOf(request), request.query);
    return { records: page.records.map(presentCollaborator), nextCursor: page.nextCursor };
  });

  app.post('/v1/collaborators', { schema: { tags, summary: 'Create a collaborator', body: collaboratorBody } }, async (request, reply) =>
    reply.status(201).send(presentCollaborator(await collaborators.create(actorOf(request), request.body))),
  );

  app.get('/v1/collaborators/:collaboratorId', { schema: { tags, summary: 'One collaborator', params: collaboratorParams } }, async (request) =>
    presentCollaborator(await collaborators.get(actorOf(request), request.params.collaboratorId)),
  );

  app.patch('/v1/collaborators/:collaboratorId', { schema: { tags, summary: 'Edit a collaborator', params: collaboratorParams, body: collaboratorPatch } }, async (request) =>
    presentCollaborator(await collaborators.update(actorOf(request), request.params.collaboratorId, request.body)),
  );

  app.delete('/v1/collaborators/:collaboratorId', { schema: { tags, summary: 'Delete a collaborator no split sheet names', params: collaboratorParams } }, async (request, reply) => {
    await collaborators.remove(actorOf(request), request.params.collaboratorId);
    return reply.status(204).send();
  });
}
