import { z } from 'zod';

/** Shared request shapes of the AudioDN surface. Bodies ignore unknown fields, as AudioDN does. */

export const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;
const MAX_METADATA_BYTES = 16 * 1024;

export const hexColor = z.string().regex(HEX_COLOR, 'must be a hex colour like #1a2b3c');
export const metadata = z
  .record(z.string(), z.unknown())
  .refine((v) => JSON.stringify(v).length <= MAX_METADATA_BYTES, `must serialize to at most ${MAX_METADATA_BYTES} bytes`);
export const imageColor = z.object({
  hex: hexColor,
  area: z.number().min(0).max(1).optional(),
  lightness: z.number().min(0).max(1).optional(),
  saturation: z.number().min(0).max(1).optional(),
});
export const theme = z.array(imageColor).max(32);
export const organizationIndex = z.string().min(1).max(255);
export const label = z.string().max(240);
export const title = z.string().trim().min(1).max(240);
export const fileName = z.string().trim().min(1).max(255);
export const expiresIn = z.number().int().min(60).max(86400).default(3600);

export const page = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

/** The fields a track carries, shared by creation and update. */
export const trackFields = {
  creator_id: z.uuid().nullable().optional(),
  organization_index: organizationIndex.nullable().optional(),
  metadata: metadata.optional(),
  is_cover_overridable: z.boolean().optional(),
  is_theme_overridable: z.boolean().optional(),
  player_title: label.nullable().optional(),
  player_subtitle: label.nullable().optional(),
  player_color: hexColor.nullable().optional(),
};

export function trackFieldsInput(b: {
  creator_id?: string | null;
  organization_index?: string | null;
  metadata?: Record<string, unknown>;
  is_cover_overridable?: boolean;
  is_theme_overridable?: boolean;
  player_title?: string | null;
  player_subtitle?: string | null;
  player_color?: string | null;
  title?: string;
}) {
  return {
    creatorId: b.creator_id,
    organizationIndex: b.organization_index,
    metadata: b.metadata,
    isCoverOverridable: b.is_cover_overridable,
    isThemeOverridable: b.is_theme_overridable,
    playerTitle: b.player_title,
    playerSubtitle: b.player_subtitle,
    playerColor: b.player_color,
    title: b.title,
  };
}
