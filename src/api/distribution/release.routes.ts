import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { success, successWith } from './envelope.js';
import { pagination } from './paging.js';
import { presentRelease } from './release.presenter.js';
import { releaseInput, releaseListQuery, releaseParams, releaseUpdate, revertBody, reviewBody } from './release.schemas.js';

const tags = ['distribution'];

/** Releases and their review workflow. */
export function registerReleaseRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { releases, workflow } = c.modules.distribution;

  r.post('/releases', { schema: { body: releaseInput, tags, summary: 'Create a release (draft), optionally with its tracks' } }, async (request, reply) => {
    const { view, warnings } = await releases.create(actorOf(request), request.body);
    return reply.status(201).send(successWith('Release created successfully', presentRelease(view), warnings));
  });

  r.get('/releases', { schema: { querystring: releaseListQuery, tags, summary: 'List releases (filters: status, format, type, search)' } }, async (request) => {
    const q = request.query;
    const { views, total } = await releases.list(actorOf(request), { status: q.status, format: q.format, type: q.type, search: q.search }, {
      page: q.page, size: q.size, order: q.order, sort: q.sort,
    });
    // Releases have always answered their page inside `data`; the block stands beside it too, where every other list has it.
    const block = pagination(total, q.page, q.size);
    return { ...success('Releases retrieved successfully', { releases: views.map(presentRelease), ...block }), ...block };
  });

  r.get('/releases/stats', { schema: { tags, summary: 'Release counts by status, format and type' } }, async (request) =>
    success('Release statistics retrieved successfully', await releases.stats(actorOf(request))),
  );

  r.get('/releases/:id', { schema: { params: releaseParams, tags, summary: 'A release with its tracks and status history' } }, async (request) =>
    success('Release retrieved successfully', presentRelease(await releases.get(actorOf(request), request.params.id))),
  );

  r.put('/releases/:id', { schema: { params: releaseParams, body: releaseUpdate, tags, summary: 'Update a draft or rejected release' } }, async (request) =>
    success('Release updated successfully', presentRelease(await releases.update(actorOf(request), request.params.id, request.body))),
  );

  r.delete('/releases/:id', { schema: { params: releaseParams, tags, summary: 'Delete a draft or rejected release' } }, async (request) => {
    await releases.remove(actorOf(request), request.params.id);
    return success('Release deleted successfully', { id: request.params.id });
  });

  r.post('/releases/:id/submit', { schema: { params: releaseParams, tags, summary: 'Submit a complete draft release for review' } }, async (request) =>
    success('Release submitted for review successfully', presentRelease(await workflow.submit(actorOf(request), request.params.id))),
  );

  r.post('/releases/:id/review', { schema: { params: releaseParams, body: reviewBody, tags, summary: 'Approve or reject a submitted release (admin)' } }, async (request) => {
    const view = await workflow.review(actorOf(request), request.params.id, request.body);
    return success(`Release ${request.body.action === 'approve' ? 'approved' : 'rejected'} successfully`, presentRelease(view));
  });

  // Older clients call the two review outcomes directly.
  for (const action of ['approve', 'reject'] as const) {
    r.post(`/releases/:id/${action}`, { schema: { params: releaseParams, tags, summary: `${action === 'approve' ? 'Approve' : 'Reject'} a submitted release (admin)` } }, async (request) => {
      const body = (request.body ?? {}) as { feedback?: unknown };
      const feedback = typeof body.feedback === 'string' ? body.feedback.slice(0, 5000) : null;
      const view = await workflow.review(actorOf(request), request.params.id, { action, feedback });
      return success(`Release ${action === 'approve' ? 'approved' : 'rejected'} successfully`, presentRelease(view));
    });
  }

  r.post('/releases/:id/revert-status', { schema: { params: releaseParams, body: revertBody, tags, summary: 'Revert a release status (admin)' } }, async (request) => {
    const data = await workflow.revert(actorOf(request), request.params.id, request.body);
    return success(`Release status reverted to "${data.status}" successfully`, data);
  });

  r.post('/releases/:id/complete', { schema: { params: releaseParams, tags, summary: 'Mark an approved release as completed (admin)' } }, async (request) =>
    success('Release completed successfully', presentRelease(await workflow.complete(actorOf(request), request.params.id))),
  );
}
