import type { CoreDeps } from '../../container.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import type { PlaybackResult, Rendition, WaveformResult } from '../lane-results.js';
import { organizationVariants, stableId, variantFromRow, type VariantDef } from './variant-catalog.js';

/** A stored output of a variant for one track (or the reason it has none). */
export interface TrackFile {
  id: string;
  variant: VariantDef;
  storageKey: string | null;
  mimeType: string | null;
  size: number | null;
  fileName: string;
  isSuccess: boolean;
  statusText: string | null;
}

const TYPE_TITLES: Record<string, string> = { transcode: 'Transcoded Version', preview: 'Preview Clip', levels: 'Audio Analysis', original: 'Original Upload' };

/** The wire shape of a file in webhook payloads (AudioDN's `file` row). */
export function presentFile(f: TrackFile, publicUrl: string) {
  return {
    id: f.id,
    path: f.storageKey ?? '',
    url: f.isSuccess && f.storageKey ? `${publicUrl}/storage/${f.storageKey}` : null,
    size: f.size,
    content_type: f.mimeType,
    file_name: f.fileName,
    is_public: false,
    is_success: f.isSuccess,
    status_text: f.statusText,
    data: null,
    props: null,
    variant: { id: f.variant.id, index: f.variant.index, variant_type: { id: f.variant.type, viewer_id: f.variant.type, title: TYPE_TITLES[f.variant.type] ?? f.variant.type } },
  };
}

/** Which files a track has: the default renditions, its own variants and its original upload. */
export function createTrackFiles(deps: { core: CoreDeps<'config', 'assets', 'processing'>; repos: Pick<CollectionsRepositories, 'variants'> }) {
  const { core } = deps;
  const { variants } = deps.repos;
  const defaults = (tenantId: string) => organizationVariants(tenantId, core.config.media.playbackCodecs);

  /** Default transcode variants matched to the playback lane's renditions by codec and bitrate. */
  function renditionVariant(tenantId: string, r: Pick<Rendition, 'codec' | 'bitrateKbps'>): VariantDef {
    const match = defaults(tenantId).find((v) => v.type === 'transcode' && v.codec === r.codec && v.bitrate === r.bitrateKbps);
    if (match) return match;
    const index = `${r.codec}_${r.bitrateKbps}`;
    return { ...defaults(tenantId)[0], id: stableId(tenantId, index), index, codec: r.codec, bitrate: r.bitrateKbps };
  }

  const fileId = (trackId: string, index: string) => stableId(trackId, `file:${index}`);

  async function playbackFiles(record: TrackRecord): Promise<TrackFile[]> {
    if (!record.sourceAssetId) return [];
    const lane = await core.services.processing.laneResult<PlaybackResult>(record.sourceAssetId, 'playback');
    const tenantId = record.track.tenantId;
    if (lane?.status === 'failed') {
      return defaults(tenantId)
        .filter((v) => v.type === 'transcode')
        .map((v) => ({ id: fileId(record.track.id, v.index), variant: v, storageKey: null, mimeType: null, size: null, fileName: v.index, isSuccess: false, statusText: 'transcode failed' }));
    }
    if (lane?.status !== 'succeeded') return [];
    return (lane.result.renditions ?? []).map((r) => {
      const v = renditionVariant(tenantId, r);
      return { id: fileId(record.track.id, v.index), variant: v, storageKey: r.storageKey, mimeType: r.mimeType, size: r.fileSize, fileName: r.storageKey.split('/').pop()!, isSuccess: true, statusText: null };
    });
  }

  async function originalFile(record: TrackRecord): Promise<TrackFile | null> {
    if (!record.sourceAssetId) return null;
    const asset = await core.repos.assets.find(record.track.tenantId, record.sourceAssetId);
    if (!asset || asset.status !== 'uploaded') return null;
    const v = defaults(record.track.tenantId).find((d) => d.type === 'original')!;
    return { id: fileId(record.track.id, v.index), variant: v, storageKey: asset.storageKey, mimeType: asset.contentType, size: asset.size, fileName: asset.fileName, isSuccess: true, statusText: null };
  }

  async function ownFiles(record: TrackRecord): Promise<TrackFile[]> {
    const rows = await variants.forTrack(record.track.id);
    return rows
      .filter((r) => r.status === 'ready' || r.status === 'failed')
      .map((r) => ({
        id: fileId(record.track.id, r.variantIndex),
        variant: variantFromRow(r),
        storageKey: r.storageKey,
        mimeType: r.mimeType,
        size: r.fileSize,
        fileName: r.storageKey?.split('/').pop() ?? r.variantIndex,
        isSuccess: r.status === 'ready',
        statusText: r.error,
      }));
  }

  /** Every file of the track, successful or failed, in delivery order. */
  async function filesOf(record: TrackRecord): Promise<TrackFile[]> {
    const [playback, original, own] = await Promise.all([playbackFiles(record), originalFile(record), ownFiles(record)]);
    return [...playback, ...own, ...(original ? [original] : [])];
  }

  /** The 320-point waveform overview (AudioDN `levels`), when the waveform lane produced one. */
  async function levels(record: TrackRecord): Promise<WaveformResult['overview'] | null> {
    if (!record.sourceAssetId) return null;
    const lane = await core.services.processing.laneResult<WaveformResult>(record.sourceAssetId, 'waveform');
    return lane?.status === 'succeeded' && lane.result.overview ? lane.result.overview : null;
  }

  return { filesOf, playbackFiles, originalFile, levels, defaults, renditionVariant, fileId };
}
export type TrackFiles = ReturnType<typeof createTrackFiles>;
