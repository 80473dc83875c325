import { createPendingObjects } from '../storage/pending-objects.js';
import type { Container } from '../container.js';
import { createAnalyzeLane } from './lanes/analyze.lane.js';
import { createLyricsLane } from './lanes/lyrics.lane.js';
import { createPlaybackLane } from './lanes/playback.lane.js';
import { createProbeLane } from './lanes/probe.lane.js';
import { createStemsLane } from './lanes/stems.lane.js';
import type { JobName } from './job-names.js';
import type { JobHandler } from './queue.js';

/** Registers every job handler: the media lanes, housekeeping, and what each surface module contributes. */
export function registerJobHandlers(c: Container): void {
  const q = c.queue;
  const concurrency = c.config.jobConcurrency;
  q.register('lane.probe', createProbeLane(c), { concurrency });
  q.register('lane.analyze', createAnalyzeLane(c), { concurrency });
  q.register('lane.playback', createPlaybackLane(c), { concurrency });
  q.register('lane.lyrics', createLyricsLane(c), { concurrency: 2 });
  q.register('lane.stems', createStemsLane(c), { concurrency: 2 });
  q.register('uploads.sweep', async () => {
    await c.services.uploads.sweepExpired();
    // No request lives past the request timeout: an object pending longer lost its writer.
    await createPendingObjects(c.db, c.store).sweep(new Date(Date.now() - c.config.http.requestTimeoutMs - 10_000).toISOString());
  });
  for (const mod of Object.values(c.modules)) {
    for (const [name, handler] of Object.entries(mod.jobs)) q.register(name as JobName, handler as JobHandler<JobName>, { concurrency: 2 });
  }
}
