import type { TrackExtrasRow } from '../../repositories/collections/collection-track.repository.js';

/** AudioDN fields of a track nobody set yet (tracks filed from another surface start here). */
export function defaultExtras(tenantId: string, trackId: string, now: string): TrackExtrasRow {
  return {
    trackId,
    tenantId,
    creatorId: null,
    organizationIndex: null,
    fileName: null,
    metadata: '{}',
    playerTitle: null,
    playerSubtitle: null,
    playerColor: null,
    playerColorSource: null,
    isCoverOverridable: 1,
    isThemeOverridable: 1,
    uploadSessionId: null,
    variantsRendering: 0,
    variantsFailed: 0,
    notifiedStatus: null,
    filesCompletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}
