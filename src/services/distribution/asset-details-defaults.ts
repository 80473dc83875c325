import type { NewAssetDetailsRow } from '../../repositories/distribution/asset-details.repository.js';

/** What the distribution API knows of a catalog track before anyone said more: an audio asset with nothing filled in. */
export function defaultDetails(tenantId: string, trackId: string, now: string): NewAssetDetailsRow {
  return {
    trackId, tenantId, isrc: null, type: 'Audio', version: null, displayArtist: null, mainGenre: '[]', subGenre: '[]', explicit: 'null',
    language: null, mood: '[]', label: null, copyright: null, publisher: null, copyrightOwner: null, recordingDate: null, recordingLocation: null,
    productionYear: null, contributors: '{}', metadata: '{}', releaseId: null, createdAt: now, updatedAt: now,
  };
}
