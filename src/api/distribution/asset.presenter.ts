import { parseJson } from '../../db/time.js';
import type { ArtistRow } from '../../repositories/distribution/artist.repository.js';
import type { AssetView } from '../../services/distribution/asset.service.js';

export function presentAsset(v: AssetView) {
  const t = v.track;
  const d = v.details;
  const mainArtist = v.artists.filter((a) => a.type === 'primary').map((a) => a.artistName ?? a.id);
  return {
    id: t.id,
    TenantId: t.tenantId,
    title: t.title,
    ISRC: t.isrc,
    isrc: t.isrc,
    iswc: t.iswc,
    type: d?.type ?? 'Audio',
    version: d?.version ?? null,
    displayArtist: d?.displayArtist ?? t.artist,
    mainArtist,
    artists: v.artists,
    mainGenre: parseJson<string[]>(d?.mainGenre, t.genre ? [t.genre] : []),
    subGenre: parseJson<string[]>(d?.subGenre, []),
    explicit: parseJson<unknown>(d?.explicit, null),
    language: d?.language ?? null,
    tempo: t.bpm,
    key: t.musicalKey,
    mood: parseJson<string[]>(d?.mood, []),
    lyrics: t.lyrics,
    label: d?.label ?? null,
    copyright: d?.copyright ?? null,
    publisher: d?.publisher ?? null,
    copyrightOwner: d?.copyrightOwner ?? null,
    recordingDate: d?.recordingDate ?? null,
    recordingLocation: d?.recordingLocation ?? null,
    productionYear: d?.productionYear ?? null,
    releaseDate: t.releaseDate,
    duration: t.durationMs != null ? t.durationMs / 1000 : null,
    contributors: parseJson<unknown>(d?.contributors, {}),
    metadata: parseJson<Record<string, unknown>>(d?.metadata, {}),
    products: v.products,
    releaseId: d?.releaseId ?? null,
    hasAudio: v.hasAudio,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

export function presentArtist(a: ArtistRow) {
  const extra = parseJson<Record<string, unknown>>(a.extra, {});
  return {
    ...extra,
    id: a.id,
    TenantId: a.tenantId,
    artistName: a.artistName,
    realName: a.realName,
    signDate: a.signDate,
    label: a.label,
    publisher: a.publisher,
    copyright: a.copyright,
    externalId: a.externalId,
    artistImg: a.artistImg,
    links: parseJson<Record<string, unknown>>(a.links, {}),
    genres: parseJson<string[]>(a.genres, []),
    pseudonyms: parseJson<string[]>(a.pseudonyms, []),
    biography: a.biography,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
