import { z } from 'zod';
import { ERN_MESSAGE_KINDS } from '../../services/distribution/ddex/ern-model.js';

export const ddexQuery = z.object({
  type: z.enum(ERN_MESSAGE_KINDS as [string, ...string[]], { error: `must be one of ${ERN_MESSAGE_KINDS.join(', ')}` }).default('new'),
  /** The delivery provider whose recipient party the message is addressed to; the sender itself when absent. */
  provider: z.string().min(1).max(100).optional(),
});

export const readinessIssue = z.object({
  code: z.string().describe('Stable code: isrc_missing, audio_missing, audio_sample_rate_too_low, artwork_too_small, upc_missing, ...'),
  field: z.string(),
  message: z.string(),
  assetId: z.string().optional(),
  trackNumber: z.number().int().optional(),
});

const envelope = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), message: z.string(), data });

export const notReadyResponse = z
  .object({ status: z.literal('error'), message: z.string(), code: z.literal('not_ready_for_delivery'), issues: z.array(readinessIssue) })
  .describe('The product is not ready: every issue, each with a stable code');

export const assetReadinessResponse = envelope(z.object({ assetId: z.string(), isrc: z.string().nullable(), ready: z.boolean(), issues: z.array(readinessIssue) }));

export const assetMetadataResponse = envelope(
  z.object({
    assetId: z.string(),
    resourceType: z.literal('SoundRecording'),
    isrc: z.string().nullable(),
    title: z.string(),
    displayArtistName: z.string().nullable(),
    duration: z.string().nullable().describe('xs:duration, e.g. PT3M30S'),
    parentalWarningType: z.string(),
    technicalDetails: z
      .object({ codec: z.string().nullable(), bitRateKbps: z.number().nullable(), sampleRate: z.number().nullable(), channels: z.number().nullable(), bitsPerSample: z.number().nullable(), lossless: z.boolean(), md5: z.string(), fileSize: z.number() })
      .nullable(),
  }).passthrough(),
);
