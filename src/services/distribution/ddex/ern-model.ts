import type { AudioFacts } from './file-inspection.js';

/**
 * What an ERN 4.3 message says, as plain data: built from the catalog by `ern-source.ts`,
 * checked by `src/domain/ddex-readiness.ts`, written as XML by `ern-builder.ts`.
 */
export type ErnMessageKind = 'new' | 'update' | 'takedown' | 'purge';
export const ERN_MESSAGE_KINDS: readonly ErnMessageKind[] = ['new', 'update', 'takedown', 'purge'];

export interface ErnMessagingParty {
  /** A DDEX Party Id (DPID, `PADPIDA...`). */
  partyId: string;
  name: string;
}

export interface ErnParty {
  /** `P...`, local to the message. */
  ref: string;
  name: string;
  isni?: string | null;
  ipi?: string | null;
}

export interface ErnArtistCredit {
  partyRef: string;
  role: 'MainArtist' | 'FeaturedArtist';
}

export interface ErnContributorCredit {
  partyRef: string;
  /** A DDEX ContributorRole, or any other role (written as UserDefined). */
  role: string;
}

/** Technical facts of a delivered file, read from its bytes. */
/** The delivered file's technical facts, as read from its bytes, and where the message finds it. */
export interface ErnAudioFile extends AudioFacts {
  /** Relative to the message, as the batch writes it. */
  uri: string;
}

export interface ErnImageFile {
  uri: string;
  codec: 'JPEG' | 'PNG' | 'GIF' | 'TIFF' | 'Unknown';
  width: number | null;
  height: number | null;
  md5: string;
  size: number;
}

export type ErnParentalWarning = 'Explicit' | 'NotExplicit' | 'ExplicitContentEdited' | 'Unknown';

export interface ErnTrack {
  /** The catalog track (asset) id. */
  assetId: string;
  /** `A1`, `A2`, ... in track order. */
  resourceRef: string;
  /** `R1`, `R2`, ...: the track release. */
  releaseRef: string;
  disc: number;
  sequence: number;
  isrc: string | null;
  iswc: string | null;
  title: string;
  version: string | null;
  displayArtist: string | null;
  artists: ErnArtistCredit[];
  contributors: ErnContributorCredit[];
  durationMs: number | null;
  parentalWarning: ErnParentalWarning;
  genre: string | null;
  subGenre: string | null;
  language: string | null;
  pLine: { year: number | null; text: string } | null;
  /** The original master (the first version's file), when the track has audio. */
  audio: ErnAudioFile | null;
  /** Writers named on the track's split sheet, when it has one. */
  splitSheet: { writers: Array<{ name: string; share: number }>; balanced: boolean } | null;
}

export interface ErnDeal {
  territories: string[];
  commercialModel: string;
  useTypes: string[];
  startDate: string;
  endDate: string | null;
}

export interface ErnRelease {
  /** The product's id as clients know it. */
  productId: string;
  ref: 'R0';
  upc: string | null;
  grid: string | null;
  catalogNumber: string | null;
  title: string;
  version: string | null;
  releaseType: 'Single' | 'EP' | 'Album';
  displayArtist: string | null;
  artists: ErnArtistCredit[];
  labelRef: string;
  genre: string | null;
  subGenre: string | null;
  releaseDate: string | null;
  originalReleaseDate: string | null;
  parentalWarning: ErnParentalWarning;
  pLine: { year: number | null; text: string } | null;
  cLine: { year: number | null; text: string } | null;
  language: string | null;
  discs: number;
}

export interface ErnMessage {
  kind: ErnMessageKind;
  messageId: string;
  threadId: string;
  createdAt: string;
  test: boolean;
  sender: ErnMessagingParty;
  recipients: ErnMessagingParty[];
  parties: ErnParty[];
  release: ErnRelease;
  tracks: ErnTrack[];
  artwork: ErnImageFile | null;
  deals: ErnDeal[];
}
