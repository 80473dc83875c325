import { z } from 'zod';
import { id } from './common.schemas.js';

const futureInstant = z.iso
  .datetime({ offset: true })
  .refine((v) => Date.parse(v) > Date.now(), { message: 'must be in the future' })
  .transform((v) => new Date(v).toISOString());

export const createSplitSheetLinkBody = z
  .object({
    name: z.string().trim().max(120).nullable().optional(),
    expiresAt: futureInstant.nullable().optional(),
  })
  .nullish();

/** Swayzio's `{ name?, expiresAt? }` plus Ledgerline's download switch and access code. */
export const createTrackLinkBody = z
  .object({
    name: z.string().trim().max(120).nullable().optional(),
    expiresAt: futureInstant.nullable().optional(),
    allowDownload: z.boolean().optional(),
    // Guesses are counted per link and lock it (see domain/access-code-lockout); six characters is the floor.
    accessCode: z.string().min(6).max(64).nullable().optional(),
  })
  .nullish();

export const linkParams = z.object({ trackId: id, linkId: id });
export const tokenParams = z.object({ token: z.string().min(1).max(200) });
export const publicEventBody = z.object({ type: z.enum(['play']) });
