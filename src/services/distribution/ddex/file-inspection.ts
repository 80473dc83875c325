import { createHash } from 'node:crypto';
import { parseFile } from 'music-metadata';
import type { BlobStore } from '../../../storage/blob-store.js';
import { imageSize } from './image-size.js';

/** What a delivery needs to know about a stored file's bytes. */
export interface AudioFacts {
  codec: string | null;
  bitRateKbps: number | null;
  sampleRate: number | null;
  channels: number | null;
  bitsPerSample: number | null;
  lossless: boolean;
  durationMs: number | null;
  md5: string;
  size: number;
}

export interface ImageFacts {
  codec: 'PNG' | 'JPEG' | 'GIF' | 'Unknown';
  width: number | null;
  height: number | null;
  md5: string;
  size: number;
}

async function md5Of(store: BlobStore, key: string): Promise<{ md5: string; size: number }> {
  const { body } = await store.get(key);
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { md5: hash.digest('hex'), size };
}

/**
 * Reads stored files once per object: a stored key's bytes never change (a new upload is a new
 * key), so the facts are kept by key and size for the life of the process.
 */
export function createFileInspector(store: BlobStore, maxEntries = 5000) {
  const cache = new Map<string, AudioFacts | ImageFacts>();
  const remember = <T extends AudioFacts | ImageFacts>(id: string, facts: T): T => {
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(id, facts);
    return facts;
  };

  async function audio(key: string, size: number | null): Promise<AudioFacts> {
    const id = `a:${key}:${size}`;
    const hit = cache.get(id);
    if (hit) return hit as AudioFacts;
    const local = await store.materialize(key);
    try {
      const [meta, sum] = await Promise.all([parseFile(local.path, { duration: true }).catch(() => null), md5Of(store, key)]);
      const f = meta?.format;
      return remember(id, {
        codec: f?.codec ?? null,
        bitRateKbps: f?.bitrate ? Math.round(f.bitrate / 1000) : null,
        sampleRate: f?.sampleRate ?? null,
        channels: f?.numberOfChannels ?? null,
        bitsPerSample: f?.bitsPerSample ?? null,
        lossless: f?.lossless ?? false,
        durationMs: f?.duration ? Math.round(f.duration * 1000) : null,
        ...sum,
      });
    } finally {
      await local.cleanup();
    }
  }

  async function image(key: string, size: number | null): Promise<ImageFacts> {
    const id = `i:${key}:${size}`;
    const hit = cache.get(id);
    if (hit) return hit as ImageFacts;
    const { body } = await store.get(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return remember(id, { ...imageSize(bytes), md5: createHash('md5').update(bytes).digest('hex'), size: bytes.length });
  }

  return { audio, image };
}
export type FileInspector = ReturnType<typeof createFileInspector>;
