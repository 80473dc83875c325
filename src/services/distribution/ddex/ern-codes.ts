/** Catalog values translated into DDEX allowed values (AVS 4.3). */
import type { ErnParentalWarning } from './ern-model.js';

/** Contributor roles written as they are; anything else becomes UserDefined with the client's word. */
const ROLES: Record<string, string> = {
  composer: 'Composer', lyricist: 'Lyricist', songwriter: 'ComposerLyricist', writer: 'ComposerLyricist', composerlyricist: 'ComposerLyricist',
  arranger: 'Arranger', producer: 'Producer', coproducer: 'CoProducer', executiveproducer: 'ExecutiveProducer', engineer: 'Engineer',
  mixingengineer: 'MixingEngineer', mixer: 'Mixer', masteringengineer: 'MasteringEngineer', recordingengineer: 'RecordingEngineer',
  remixer: 'Remixer', conductor: 'Conductor', musician: 'Musician', performer: 'Performer', vocalist: 'LeadVocalist',
  backgroundvocalist: 'BackgroundVocalist', programmer: 'Programmer', musicpublisher: 'MusicPublisher', publisher: 'MusicPublisher',
};
/** Roles the AVS ContributorRole list holds (the ones ROLES maps to). */
const KNOWN = new Set(Object.values(ROLES).filter((r) => r !== 'Producer'));

/** `{ value }` for a listed role, `{ value: 'UserDefined', userDefined }` for any other. */
export function contributorRole(role: string): { value: string; userDefined?: string } {
  const mapped = ROLES[role.replace(/[\s_-]/g, '').toLowerCase()];
  if (mapped && KNOWN.has(mapped)) return { value: mapped };
  return { value: 'UserDefined', userDefined: mapped ?? role };
}

/** Royalti's `explicit` (explicit | clean | cleaned | true | false | null). */
export function parentalWarning(explicit: unknown): ErnParentalWarning {
  const v = typeof explicit === 'string' ? explicit.trim().toLowerCase() : explicit;
  if (v === true || v === 'explicit' || v === 'true' || v === 'yes') return 'Explicit';
  if (v === 'cleaned' || v === 'edited') return 'ExplicitContentEdited';
  if (v === false || v === 'clean' || v === 'false' || v === 'no' || v === 'notexplicit') return 'NotExplicit';
  return 'Unknown';
}

/** ffmpeg or music-metadata codec names as an AudioCodecType. */
export function audioCodec(codec: string | null): string {
  const c = (codec ?? '').toLowerCase();
  if (c.startsWith('pcm') || c === 'wav' || c.includes('pcm')) return 'PCM';
  if (c.includes('flac')) return 'FLAC';
  if (c.includes('mp3') || c.includes('mpeg 1 layer 3')) return 'MP3';
  if (c.includes('aac')) return 'AAC';
  if (c.includes('vorbis')) return 'Vorbis';
  return 'Unknown';
}

/** Single, EP or Album from the product's format, else from its track count. */
export function releaseType(format: string | null, trackCount: number): 'Single' | 'EP' | 'Album' {
  const f = (format ?? '').toLowerCase();
  if (f.includes('single')) return 'Single';
  if (f === 'ep' || f.includes(' ep')) return 'EP';
  if (f.includes('album') || f.includes('lp')) return 'Album';
  return trackCount <= 3 ? 'Single' : trackCount <= 6 ? 'EP' : 'Album';
}

/** An xs:duration for milliseconds: PT3M30S, PT3M30.5S. */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms)) / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round((total % 60) * 1000) / 1000;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s}S`;
}
