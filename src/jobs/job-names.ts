import { LANE_JOB_NAMES, type LaneJobName } from '../domain/lanes.js';

/** Every job name and its payload. A name without a registered handler stops start-up. */
export interface JobPayloads {
  /** Probe the uploaded audio of a track version, then fan out the other lanes. */
  'lane.probe': { tenantId: string; trackId: string; assetId: string };
  /** One decode feeding waveform, tags and embeddings. */
  'lane.analyze': { tenantId: string; trackId: string; assetId: string };
  'lane.playback': { tenantId: string; trackId: string; assetId: string };
  'lane.lyrics': { tenantId: string; trackId: string; assetId: string };
  'lane.stems': { tenantId: string; trackId: string; assetId: string };
  /** A track-specific variant (AudioDN transcode or preview). */
  'variant.render': { tenantId: string; trackId: string; variantId: string };
  /** Deliver one webhook event to the organization's URL. */
  'webhook.deliver': { tenantId: string; deliveryId: string };
  /** One attempt of a distribution (Royalti) webhook delivery. */
  'webhook.distribution.deliver': { tenantId: string; deliveryId: string; attempt: number };
  /** Remove expired pending uploads and their partial objects. */
  'uploads.sweep': Record<string, never>;
  /** Write one DDEX batch to its delivery provider. */
  'delivery.batch': { tenantId: string; batchId: string };
}
export type JobName = keyof JobPayloads;

/**
 * The jobs that are not processing lanes (those come from the lane table). `satisfies` makes the
 * compiler reject a job missing here or named here but absent from JobPayloads.
 */
const OTHER_JOBS = {
  'variant.render': 'render a track-specific variant',
  'webhook.deliver': 'deliver one webhook event',
  'webhook.distribution.deliver': 'make one attempt of a distribution webhook delivery',
  'uploads.sweep': 'remove expired pending uploads',
  'delivery.batch': 'write one DDEX batch to a delivery provider',
} as const satisfies Record<Exclude<JobName, LaneJobName>, string>;

export const JOB_NAMES: JobName[] = [...LANE_JOB_NAMES, ...(Object.keys(OTHER_JOBS) as Array<keyof typeof OTHER_JOBS>)];
