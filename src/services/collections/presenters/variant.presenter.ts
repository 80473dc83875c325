import type { VariantDef } from '../variant-catalog.js';

export interface VariantView {
  id: string;
  name: string;
  index: string;
  type: string;
  variant_type_id: string;
  format: string | null;
  codec: string | null;
  bitrate: number | null;
  is_stereo: boolean | null;
  is_strip_tags: boolean;
  is_strip_cover: boolean;
  track_id: string | null;
  status: string;
  created_at: string | null;
  [preview: `preview_${string}`]: unknown;
}

const FORMATS: Record<string, string> = { levels: 'json', original: 'original' };

export function presentVariant(v: VariantDef): VariantView {
  return {
    id: v.id,
    name: v.index,
    index: v.index,
    type: v.type,
    variant_type_id: v.type,
    format: v.codec ?? FORMATS[v.type] ?? null,
    codec: v.codec,
    bitrate: v.bitrate,
    is_stereo: v.channels === null ? null : v.channels >= 2,
    is_strip_tags: v.isStripTags,
    is_strip_cover: v.isStripCover,
    track_id: v.trackId,
    status: v.status,
    created_at: v.createdAt,
    ...(v.preview ?? {}),
  };
}
