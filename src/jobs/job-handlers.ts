import type { JobName } from './job-names.js';
import type { JobHandler } from './queue.js';

/** Handlers a module contributes, by job name. */
export type JobHandlers = { [N in JobName]?: JobHandler<N> };
