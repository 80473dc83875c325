import type { WebManifest } from '../../src/web/assets.js';
import type { EmbedViewModel, TrackShareViewModel } from '../../src/web/view-models.js';

/** A manifest that does not depend on a build having run. */
export const TEST_MANIFEST: WebManifest = {
  version: 1,
  entries: {
    share: { file: 'share-TESTHASH.js', integrity: 'sha384-share', bytes: 1, gzipBytes: 1 },
    'embed-player': { file: 'embed-player-TESTHASH.js', integrity: 'sha384-embed-player', bytes: 1, gzipBytes: 1 },
    embed: { file: 'embed-TESTHASH.js', integrity: 'sha384-embed', bytes: 1, gzipBytes: 1 },
  },
  aliases: { 'embed.js': 'embed-TESTHASH.js' },
};

export function shareModel(overrides: Partial<TrackShareViewModel> = {}): TrackShareViewModel {
  return {
    token: 'tok_123',
    title: 'Night Drive',
    artist: 'The Examples',
    artworkUrl: 'https://img.example.com/art/1.jpg',
    durationMs: 215_000,
    peaks: { data: [-10, 12, -100, 90, -5, 6], bits: 8, length: 3 },
    allowDownload: true,
    requiresAccessCode: false,
    publicUrl: 'https://music.example.com',
    api: {
      card: '/api/share/tok_123/card',
      playbackUrl: '/api/share/tok_123/playback',
      downloadUrl: '/api/share/tok_123/download',
      events: '/api/share/tok_123/events',
    },
    mediaOrigins: ['https://bucket.s3.example.com'],
    ...overrides,
  };
}

export function embedModel(overrides: Partial<EmbedViewModel> = {}): EmbedViewModel {
  return {
    kind: 'collection',
    title: 'Summer EP',
    subtitle: 'The Examples',
    color: '#e4572e',
    colorLight: '#fffaf5',
    colorDark: '#1b1410',
    coverUrl: 'https://img.example.com/cover.jpg',
    tracks: [
      { id: 't1', title: 'One', subtitle: 'The Examples', durationMs: 61_000, streamUrl: 'https://cdn.example.com/s/1.mp3', peaks: null },
      { id: 't2', title: 'Two', subtitle: 'The Examples', durationMs: 3_725_000, streamUrl: '/stream/2.mp3', peaks: null },
    ],
    ...overrides,
  };
}

/** Pulls the JSON handed to the browser out of a rendered page. */
export function clientData(page: string): unknown {
  const m = /<script type="application\/json" id="ll-data">([\s\S]*?)<\/script>/.exec(page);
  if (!m) throw new Error('no ll-data block');
  return JSON.parse(m[1]);
}

export function metaContent(page: string, key: string): string | null {
  const re = new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)">`);
  return re.exec(page)?.[1] ?? null;
}
