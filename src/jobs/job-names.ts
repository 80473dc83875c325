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
  /** Remove expired pending uploads and their partial objects. */
  'uploads.sweep': Record<string, never>;
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES: JobName[] = ['lane.probe', 'lane.analyze', 'lane.playback', 'lane.lyrics', 'lane.stems', 'variant.render', 'webhook.deliver', 'uploads.sweep'];
