import { parseJson } from '../../db/time.js';
import type { ReleaseTrackView, ReleaseView } from '../../services/distribution/release-views.js';

export function presentTrack(v: ReleaseTrackView) {
  const r = v.row;
  return {
    id: r.id,
    TenantId: r.tenantId,
    ReleaseId: r.releaseId,
    assetId: r.trackId,
    trackNumber: r.trackNumber,
    title: r.title,
    version: r.version,
    isrc: r.isrc,
    iswc: r.iswc,
    duration: r.duration,
    lyrics: r.lyrics,
    language: r.language,
    displayArtist: r.displayArtist,
    artists: v.artists,
    mainGenre: parseJson<string[]>(r.mainGenre, []),
    subGenre: parseJson<string[]>(r.subGenre, []),
    contributors: parseJson<unknown>(r.contributors, {}),
    media: v.media,
    // The asset's analysis first; what the client wrote into metadata wins over it.
    metadata: { ...v.analysis, ...parseJson<Record<string, unknown>>(r.metadata, {}) },
    explicit: parseJson<unknown>(r.explicit, null),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function presentRelease(v: ReleaseView) {
  const r = v.row;
  return {
    id: r.id,
    TenantId: r.tenantId,
    TenantUserId: r.ownerUserId,
    title: r.title,
    format: r.format,
    type: r.type,
    version: r.version,
    label: r.label,
    copyright: r.copyright,
    displayArtist: r.displayArtist,
    artists: v.artists,
    mainGenre: parseJson<string[]>(r.mainGenre, []),
    subGenre: parseJson<string[]>(r.subGenre, []),
    contributors: parseJson<unknown>(r.contributors, null),
    description: r.description,
    metadata: parseJson<Record<string, unknown>>(r.metadata, {}),
    media: parseJson<unknown[]>(r.media, []),
    explicit: r.explicit,
    releaseDate: r.releaseDate,
    preReleaseDate: r.preReleaseDate,
    upc: r.upc,
    catalogNumber: r.catalogNumber,
    status: r.status,
    feedback: r.feedback,
    productId: v.productCode,
    submittedAt: r.submittedAt,
    reviewedAt: r.reviewedAt,
    reviewedBy: r.reviewedBy,
    tracks: v.tracks.map(presentTrack),
    ...(v.statusHistory ? { statusHistory: v.statusHistory } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
