import { badRequest } from '../errors.js';

/**
 * Every object key is built here, so the bucket layout lives in one place:
 *
 *   t/<tenant>/tracks/<track>/<track><suffix>.<ext>          encoded variants
 *   t/<tenant>/tracks/<track>/sources/<version>/<file>       uploaded masters
 *   t/<tenant>/tracks/<track>/artwork/<asset>.<ext>
 *   t/<tenant>/tracks/<track>/documents/<asset>/<file>
 *   t/<tenant>/tracks/<track>/stems/<asset>/<file>
 *   t/<tenant>/tracks/<track>/waveforms/<version>/<level>.json
 *   t/<tenant>/collections/<collection>/cover/<asset>.<ext>
 *   t/<tenant>/releases/<release>/<track>/<asset>/<file>
 *   t/<tenant>/products/<asset>/<file>
 *   t/<tenant>/products/<asset>/<file>                       files uploaded with a product
 *
 * Everything a track owns sits under trackPrefix() + "/", so deleting a track is one deletePrefix().
 * Release media is deliberately outside it: a delivered release keeps its files.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const EXT = /^[A-Za-z0-9]{1,10}$/;
const SUFFIX = /^[A-Za-z0-9_-]{0,32}$/;
const LEVEL = /^[A-Za-z0-9_-]{1,32}$/;

export const MAX_FILE_NAME_LENGTH = 120;

function id(value: string, what: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw badRequest('invalid_id', `${what} is not a valid identifier`, { details: { field: what } });
  }
  return value;
}

function ext(value: string): string {
  const bare = typeof value === 'string' ? value.replace(/^\./, '') : '';
  if (!EXT.test(bare)) throw badRequest('invalid_extension', 'File extension must be 1-10 letters or digits');
  return bare.toLowerCase();
}

function trackDir(tenantId: string, trackId: string): string {
  return `t/${id(tenantId, 'tenantId')}/tracks/${id(trackId, 'trackId')}`;
}

/**
 * The folder holding everything a tenant owns, without a trailing "/". Append "/" when
 * deleting by prefix: prefixes match strings, so "t/ab" would also match "t/abc".
 */
export function tenantPrefix(tenantId: string): string {
  return `t/${id(tenantId, 'tenantId')}`;
}

/** The folder holding everything a track owns, without a trailing "/" (see tenantPrefix). */
export function trackPrefix(tenantId: string, trackId: string): string {
  return trackDir(tenantId, trackId);
}

export function trackBasePath(tenantId: string, trackId: string): string {
  return `${trackDir(tenantId, trackId)}/${trackId}`;
}

/** e.g. trackVariant(t, k, '_128', 'mp3') -> t/<t>/tracks/<k>/<k>_128.mp3 */
export function trackVariant(tenantId: string, trackId: string, suffix: string, extension: string): string {
  if (typeof suffix !== 'string' || !SUFFIX.test(suffix)) {
    throw badRequest('invalid_suffix', 'Variant suffix must be up to 32 letters, digits, "_" or "-"');
  }
  return `${trackBasePath(tenantId, trackId)}${suffix}.${ext(extension)}`;
}

export function trackSource(tenantId: string, trackId: string, versionId: string, fileName: string): string {
  return `${trackDir(tenantId, trackId)}/sources/${id(versionId, 'versionId')}/${sanitizeFileName(fileName)}`;
}

export function trackArtwork(tenantId: string, trackId: string, assetId: string, extension: string): string {
  return `${trackDir(tenantId, trackId)}/artwork/${id(assetId, 'assetId')}.${ext(extension)}`;
}

export function trackDocument(tenantId: string, trackId: string, assetId: string, fileName: string): string {
  return `${trackDir(tenantId, trackId)}/documents/${id(assetId, 'assetId')}/${sanitizeFileName(fileName)}`;
}

export function trackStem(tenantId: string, trackId: string, assetId: string, fileName: string): string {
  return `${trackDir(tenantId, trackId)}/stems/${id(assetId, 'assetId')}/${sanitizeFileName(fileName)}`;
}

export function trackWaveform(tenantId: string, trackId: string, versionId: string, level: string | number): string {
  const lvl = String(level);
  if (typeof level === 'number' ? !Number.isSafeInteger(level) || level < 0 : !LEVEL.test(lvl)) {
    throw badRequest('invalid_level', 'Waveform level must be a non-negative integer or a short name');
  }
  return `${trackDir(tenantId, trackId)}/waveforms/${id(versionId, 'versionId')}/${lvl}.json`;
}

export function collectionCover(tenantId: string, collectionId: string, assetId: string, extension: string): string {
  return `t/${id(tenantId, 'tenantId')}/collections/${id(collectionId, 'collectionId')}/cover/${id(assetId, 'assetId')}.${ext(extension)}`;
}

export function releaseMedia(tenantId: string, releaseId: string, trackId: string, assetId: string, fileName: string): string {
  return (
    `t/${id(tenantId, 'tenantId')}/releases/${id(releaseId, 'releaseId')}/` +
    `${id(trackId, 'trackId')}/${id(assetId, 'assetId')}/${sanitizeFileName(fileName)}`
  );
}

export function productFile(tenantId: string, assetId: string, fileName: string): string {
  return `t/${id(tenantId, 'tenantId')}/products/${id(assetId, 'assetId')}/${sanitizeFileName(fileName)}`;
}

/**
 * Turns a user-supplied file name into one key segment in [A-Za-z0-9._-]: keeps only the
 * last path component, drops control/format characters, folds accents to ASCII, replaces
 * whitespace and anything else with "_", lower-cases a plausible extension and keeps it
 * when capping the length. Never returns "", "." or "..". The original name belongs in the
 * database; this one only has to be safe and recognisable.
 */
export function sanitizeFileName(name: string): string {
  const cleaned = String(name ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '');
  const base = cleaned.split(/[\\/]+/).filter((part) => part !== '').pop() ?? '';
  let safe = base
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/\.{2,}/g, '.');

  let extension = '';
  const dot = safe.lastIndexOf('.');
  if (dot > 0 && EXT.test(safe.slice(dot + 1))) {
    extension = `.${safe.slice(dot + 1).toLowerCase()}`;
    safe = safe.slice(0, dot);
  }
  const trim = (s: string) => s.replace(/^[._-]+/, '').replace(/[._-]+$/, '');
  let stem = trim(safe).slice(0, MAX_FILE_NAME_LENGTH - extension.length);
  stem = trim(stem);
  return `${stem || 'file'}${extension}`;
}
