import { stat } from 'node:fs/promises';
import { parseFile, selectCover, type IAudioMetadata } from 'music-metadata';
import {
  codecFromMusicMetadata,
  codecFromPcmLayout,
  containerFromFfprobe,
  containerFromMusicMetadata,
  needsSecondOpinion,
  mimeTypeFor,
} from './audio-format.js';
import { inputArgs, sniffFile, type SniffedContainer } from './container-sniff.js';
import type { MediaTools } from './ffmpeg.js';
import { isMediaError, MediaError } from './media-error.js';
import { readPcmFileLayout } from './pcm.js';

export interface AudioTags {
  title?: string;
  artist?: string;
  album?: string;
  isrc?: string;
  /** The track's position on its album ("3" of "3/12"). */
  trackNumber?: number;
  lyrics?: string;
  bpm?: number;
  key?: string;
  genre?: string;
}

export interface AudioProbe {
  durationMs: number;
  /** Bits per second. */
  bitrate: number;
  sampleRate: number;
  channels: number;
  /** ffmpeg's codec name: mp3, aac, vorbis, opus, flac, pcm_s16le, ... */
  codec: string;
  /** mpeg, adts, mp4, ogg, flac, wav, aiff, webm, matroska, ... */
  container: string;
  mimeType: string;
  fileSize: number;
  tags: AudioTags;
  artwork?: { mimeType: string; data: Buffer };
}

type StreamFacts = Pick<AudioProbe, 'durationMs' | 'sampleRate' | 'channels' | 'codec' | 'container'> & { bitrate?: number };

/**
 * Format, tags and cover of an audio file. music-metadata reads it in-process; ffprobe answers
 * when music-metadata cannot tell duration or codec, and checks the formats it misreads.
 */
export async function probeAudio(tools: MediaTools, filePath: string): Promise<AudioProbe> {
  const { size: fileSize } = await stat(filePath);
  if (fileSize === 0) throw new MediaError('not_audio', 'the file is empty');
  // Before any parser sees it: only a recognised audio container goes further.
  const container = await sniffFile(filePath);

  const metadata = await parseFile(filePath, { duration: true }).catch(() => null);
  let facts = metadata ? factsFromMusicMetadata(metadata) : null;
  let ffprobeTags: AudioTags = {};
  if (!facts || needsSecondOpinion(facts.container)) {
    const probed = await ffprobe(tools, filePath, container);
    // ffprobe has decoded the stream's own header: its rate and channel count win.
    facts = facts ? { ...facts, sampleRate: probed.facts.sampleRate, channels: probed.facts.channels } : probed.facts;
    ffprobeTags = probed.tags;
  }
  if (facts.container === 'wav' || facts.container === 'aiff') facts = await withPcmLayout(filePath, facts);

  const durationSec = facts.durationMs / 1000;
  const bitrate = Math.round(facts.bitrate ?? (durationSec > 0 ? (fileSize * 8) / durationSec : 0));
  const cover = selectCover(metadata?.common.picture);
  return {
    durationMs: facts.durationMs,
    bitrate,
    sampleRate: facts.sampleRate,
    channels: facts.channels,
    codec: facts.codec,
    container: facts.container,
    mimeType: mimeTypeFor(facts.container),
    fileSize,
    tags: metadata ? { ...ffprobeTags, ...tagsFromMusicMetadata(metadata) } : ffprobeTags,
    ...(cover ? { artwork: { mimeType: cover.format, data: Buffer.from(cover.data) } } : {}),
  };
}

function factsFromMusicMetadata({ format }: IAudioMetadata): StreamFacts | null {
  const { container, codec, duration, sampleRate, numberOfChannels, bitrate } = format;
  if (!container || !codec || !sampleRate || !numberOfChannels || !duration || !Number.isFinite(duration)) return null;
  return {
    container: containerFromMusicMetadata(container),
    codec: codecFromMusicMetadata(codec),
    durationMs: Math.round(duration * 1000),
    sampleRate,
    channels: numberOfChannels,
    bitrate,
  };
}

/** The header says exactly which PCM it is, and how much of it the file really holds. */
async function withPcmLayout(filePath: string, facts: StreamFacts): Promise<StreamFacts> {
  const layout = await readPcmFileLayout(filePath);
  if (!layout) return facts;
  return {
    ...facts,
    codec: codecFromPcmLayout(layout),
    durationMs: Math.round((layout.frames / layout.sampleRate) * 1000),
    bitrate: layout.sampleRate * layout.bytesPerFrame * 8,
  };
}

interface FfprobeJson {
  streams?: Array<{ codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string; bit_rate?: string; tags?: Record<string, string> }>;
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
}

async function ffprobe(tools: MediaTools, filePath: string, container: SniffedContainer): Promise<{ facts: StreamFacts; tags: AudioTags }> {
  let json: FfprobeJson;
  try {
    const { stdout } = await tools.runProbe(['-v', 'error', '-show_format', '-show_streams', '-of', 'json', ...inputArgs(container, filePath)]);
    json = JSON.parse(stdout.toString('utf8')) as FfprobeJson;
  } catch (err) {
    if (isMediaError(err) && err.code !== 'ffmpeg_failed') throw err;
    throw new MediaError('not_audio', 'the file is not audio that can be decoded', { cause: err, stderr: isMediaError(err) ? err.stderr : undefined });
  }
  const stream = json.streams?.find((s) => s.codec_type === 'audio' && Number(s.sample_rate) > 0 && (s.channels ?? 0) > 0);
  const duration = Number(stream?.duration ?? json.format?.duration);
  if (!stream || !json.format?.format_name || !(duration > 0)) {
    throw new MediaError('not_audio', 'the file holds no decodable audio stream');
  }
  const bitrate = Number(stream.bit_rate ?? json.format.bit_rate);
  return {
    facts: {
      container: containerFromFfprobe(json.format.format_name),
      codec: stream.codec_name ?? 'unknown',
      durationMs: Math.round(duration * 1000),
      sampleRate: Number(stream.sample_rate),
      channels: stream.channels!,
      bitrate: bitrate > 0 ? bitrate : undefined,
    },
    tags: tagsFromFfprobe({ ...json.format.tags, ...stream.tags }),
  };
}

function tagsFromMusicMetadata({ common }: IAudioMetadata): AudioTags {
  const lyrics = common.lyrics?.map((l) => l.text ?? l.syncText.map((line) => line.text).join('\n')).find((text) => text.trim());
  return compact({
    title: common.title,
    artist: common.artist,
    album: common.album,
    isrc: common.isrc?.[0],
    trackNumber: common.track?.no ?? undefined,
    lyrics,
    bpm: common.bpm,
    key: common.key,
    genre: common.genre?.[0],
  });
}

function tagsFromFfprobe(raw: Record<string, string>): AudioTags {
  const byName = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const pick = (...names: string[]) => names.map((n) => byName.get(n)).find((v) => v !== undefined && v !== '');
  // ffmpeg writes MP3 lyrics as TXXX "lyrics" or "lyrics-<lang>".
  const lyricsKey = [...byName.keys()].find((k) => k === 'unsyncedlyrics' || k === 'uslt' || k.startsWith('lyrics'));
  const bpm = Number(pick('tbpm', 'bpm'));
  return compact({
    title: pick('title'),
    artist: pick('artist'),
    album: pick('album'),
    isrc: pick('isrc', 'tsrc'),
    trackNumber: positiveInt(pick('track', 'trck')),
    lyrics: lyricsKey ? byName.get(lyricsKey) : undefined,
    bpm: bpm > 0 ? bpm : undefined,
    key: pick('tkey', 'initialkey', 'key'),
    genre: pick('genre'),
  });
}

/** "3" or "3/12" as 3; nothing for anything else. */
function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value?.split('/')[0]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
