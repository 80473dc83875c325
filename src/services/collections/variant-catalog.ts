import { createHash } from 'node:crypto';
import type { Config } from '../../config.js';
import type { VariantRow } from '../../repositories/collections/variant.repository.js';
import { jsonObject } from './presenters/colors.js';

export type VariantType = 'transcode' | 'preview' | 'levels' | 'original';
export type Codec = 'aac' | 'mp3' | 'ogg' | 'opus';
export const CODECS: readonly Codec[] = ['aac', 'mp3', 'ogg', 'opus'];

export interface PreviewSettings {
  preview_type: 'seconds' | 'percent';
  preview_seconds: number;
  preview_min_percent: number;
  preview_max_percent: number;
  preview_percent: number;
  preview_min_seconds: number;
  preview_max_seconds: number;
  preview_start_percent: number;
}

/** A delivery variant: an organization default (derived from the playback configuration) or a track's own. */
export interface VariantDef {
  id: string;
  index: string;
  type: VariantType;
  /** null for organization defaults. */
  trackId: string | null;
  codec: Codec | null;
  bitrate: number | null;
  channels: number | null;
  isStripTags: boolean;
  isStripCover: boolean;
  status: 'ready' | 'pending' | 'processing' | 'failed';
  preview: PreviewSettings | null;
  createdAt: string | null;
}

/**
 * Organization defaults. The playback lane renders every configured codec for each upload
 * (`{base_path}_<bitrate>.<ext>`): the first configured rendition is `hq`, the second `lq`,
 * any further ones `<codec>_<bitrate>`. `levels` is the 320-point waveform overview and
 * `original` the uploaded source. Ids are derived from the organization and index, so they
 * are stable without being stored.
 */
export function organizationVariants(tenantId: string, playbackCodecs: Config['media']['playbackCodecs']): VariantDef[] {
  const transcodes = playbackCodecs.map((c, i): VariantDef => {
    const index = i === 0 ? 'hq' : i === 1 ? 'lq' : `${c.codec}_${c.bitrateKbps}`;
    return base(tenantId, index, 'transcode', { codec: c.codec, bitrate: c.bitrateKbps, channels: 2 });
  });
  return [
    ...transcodes,
    base(tenantId, 'levels', 'levels', { codec: null, bitrate: null, channels: null }),
    base(tenantId, 'original', 'original', { codec: null, bitrate: null, channels: null }),
  ];
}

function base(tenantId: string, index: string, type: VariantType, audio: Pick<VariantDef, 'codec' | 'bitrate' | 'channels'>): VariantDef {
  return { id: stableId(tenantId, index), index, type, trackId: null, ...audio, isStripTags: true, isStripCover: true, status: 'ready', preview: null, createdAt: null };
}

/** A name-based (version 5 layout) UUID, so a default variant keeps its id across restarts. */
export function stableId(tenantId: string, index: string): string {
  const b = createHash('sha1').update(`ledgerline:audiodn-variant:${tenantId}:${index}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function variantFromRow(row: VariantRow): VariantDef {
  return {
    id: row.id,
    index: row.variantIndex,
    type: row.variantType as VariantType,
    trackId: row.trackId,
    codec: row.codec as Codec,
    bitrate: row.bitrate,
    channels: row.channels,
    isStripTags: row.isStripTags === 1,
    isStripCover: row.isStripCover === 1,
    status: row.status as VariantDef['status'],
    preview: row.variantType === 'preview' ? (jsonObject(row.preview) as unknown as PreviewSettings) : null,
    createdAt: row.createdAt,
  };
}

const EXTENSIONS: Record<Codec, string> = { aac: 'm4a', mp3: 'mp3', ogg: 'ogg', opus: 'opus' };
export const extensionOfCodec = (codec: Codec): string => EXTENSIONS[codec];

/** The suffix a track-specific variant's file gets after the track's base path. */
export function variantSuffix(index: string, variantId: string): string {
  return /^[A-Za-z0-9_-]{1,31}$/.test(index) ? `_${index}` : `_v${variantId.replace(/-/g, '').slice(-12)}`;
}

/**
 * The clip a preview variant takes from a track of `durationSec`: length by seconds (bounded by
 * a share of the track) or by percent (bounded in seconds), starting at a percent of the
 * duration and moved earlier when it would run past the end.
 */
export function previewWindow(p: PreviewSettings, durationSec: number): { startSec: number; durationSec: number } {
  const total = Math.max(0, durationSec);
  let length: number;
  if (p.preview_type === 'percent') {
    length = (total * p.preview_percent) / 100;
    length = Math.min(Math.max(length, p.preview_min_seconds), p.preview_max_seconds);
  } else {
    length = p.preview_seconds;
    length = Math.min(Math.max(length, (total * p.preview_min_percent) / 100), (total * p.preview_max_percent) / 100);
  }
  length = Math.min(Math.max(length, 0), total);
  let start = (total * p.preview_start_percent) / 100;
  if (start + length > total) start = Math.max(0, total - length);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { startSec: round(start), durationSec: round(length) };
}
