import { z } from 'zod';
import type { PublisherInput } from '../../services/workspace/split-sheet.service.js';
import { id } from './common.schemas.js';

// Shares are checked by the split-sheet rules (exact decimals, sign, balance), which report 422s.
const share = z.union([z.number(), z.string().max(32)]);
const collaboratorId = z.string().max(100);

const entry = z.object({ collaboratorId, percentage: share, role: z.string().trim().max(100).optional() });
const collectionSplit = z.object({ collaboratorId, percentage: share, territory: z.string().trim().max(10).optional() });
const publisher: z.ZodType<PublisherInput> = z.lazy(() =>
  z.object({
    collaboratorId,
    percentage: share,
    subPublishers: z.array(publisher).max(100).optional(),
    collectionSplits: z.array(collectionSplit).max(300).optional(),
  }),
);

export const replaceSplitSheetBody = z.object({
  address: z.string().trim().max(1000).nullable().optional(),
  intendedUse: z.string().trim().max(500).nullable().optional(),
  master: z.array(entry).max(200),
  writers: z.array(entry).max(200),
  publishers: z.array(publisher).max(200).optional(),
});

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((s) => (s === '' ? null : s));

export const collaboratorBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320).nullable().optional(),
  pro: optionalText(40),
  ipi: z
    .string()
    .trim()
    .regex(/^\d{9,11}$/, 'IPI name numbers are 9 to 11 digits')
    .nullable()
    .optional(),
});

export const collaboratorPatch = collaboratorBody.partial().refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'At least one field must be present' });
export const collaboratorParams = z.object({ collaboratorId: id });
export const collaboratorListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().min(1).max(4096).optional() });
