import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inputArgs, sniffContainer, sniffFile } from './container-sniff.js';
import { decodePcm } from './pcm.js';
import { probeAudio } from './probe.js';
import { transcode } from './transcode.js';
import { evalSource, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();
const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const text = (s: string) => Buffer.from(s, 'latin1');

describe('sniffContainer', () => {
  it.each([
    ['an ID3-tagged MP3', Buffer.concat([text('ID3'), hex('0300 00 00000000')]), hex('fffb9064'), 'mp3', 'mp3'],
    ['a bare MPEG-1 layer 3 frame', hex('fffb9064 0000'), undefined, 'mp3', 'mp3'],
    ['an MPEG-2 layer 3 frame', hex('fff39064 0000'), undefined, 'mp3', 'mp3'],
    ['ADTS AAC (MPEG-4)', hex('fff15080 2bdf fc00'), undefined, 'aac', 'aac'],
    ['ADTS AAC (MPEG-2)', hex('fff95080 2bdf fc00'), undefined, 'aac', 'aac'],
    ['ADTS AAC behind an ID3 tag', Buffer.concat([text('ID3'), hex('0400 00 00000000')]), hex('fff15080'), 'aac', 'aac'],
    ['FLAC behind an ID3 tag', Buffer.concat([text('ID3'), hex('0300 00 00000000')]), text('fLaC'), 'flac', 'flac'],
    ['RIFF WAVE', text('RIFF\x24\x08\x00\x00WAVEfmt '), undefined, 'wav', 'wav'],
    ['RF64 WAVE', text('RF64\xff\xff\xff\xffWAVEds64'), undefined, 'rf64', 'wav'],
    ['BW64 WAVE', text('BW64\xff\xff\xff\xffWAVEds64'), undefined, 'rf64', 'wav'],
    ['Sony Wave64', hex('726966662e91cf11a5d628db04c10000 0000000000000000 77617665'), undefined, 'w64', 'w64'],
    ['AIFF', text('FORM\x00\x00\x10\x00AIFFCOMM'), undefined, 'aiff', 'aiff'],
    ['AIFF-C', text('FORM\x00\x00\x10\x00AIFCFVER'), undefined, 'aiff', 'aiff'],
    ['FLAC', text('fLaC\x00\x00\x00\x22'), undefined, 'flac', 'flac'],
    ['Ogg', text('OggS\x00\x02\x00\x00'), undefined, 'ogg', 'ogg'],
    ['M4A', text('\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00'), undefined, 'mp4', 'mov'],
    ['QuickTime without ftyp', text('\x00\x00\x00\x08wide\x00\x00\x10\x00mdat'), undefined, 'mp4', 'mov'],
    ['WebM/Matroska', hex('1a45dfa3 9f4286810142f7810142f2'), undefined, 'matroska', 'matroska'],
    ['CAF', text('caff\x00\x01\x00\x00desc'), undefined, 'caf', 'caf'],
    ['Sun AU', text('.snd\x00\x00\x00\x18'), undefined, 'au', 'au'],
    ['ASF (WMA)', hex('3026b2758e66cf11a6d900aa0062ce6c 0000'), undefined, 'asf', 'asf'],
  ])('knows %s', (_label, head, afterId3, format, demuxer) => {
    expect(sniffContainer(head, afterId3)).toEqual({ format, demuxer });
  });

  it.each([
    ['an HLS playlist', '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'],
    ['an HLS playlist after blank lines', '\n\n#EXTM3U\n#EXTINF:1,\nhttp://169.254.169.254/latest/meta-data\n'],
    ['an ffconcat script', 'ffconcat version 1.0\nfile /etc/passwd\n'],
    ['a concat: URL', 'concat:/etc/passwd|/etc/hosts'],
    ['a plain m3u list', '/etc/passwd\n/etc/shadow\n'],
    ['HTML', '<!doctype html><html><body>hi</body></html>'],
    ['an SDP description', 'v=0\no=- 0 0 IN IP4 127.0.0.1\nc=IN IP4 127.0.0.1\nm=audio 5004 RTP/AVP 96\n'],
    ['lyrics', 'Verse 1\nthese are lyrics, not audio\n'],
    ['a PNG', '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR'],
    ['a JPEG', '\xff\xd8\xff\xe0\x00\x10JFIF\x00'],
    ['a RIFF that is not WAVE (WebP)', 'RIFF\x24\x08\x00\x00WEBPVP8 '],
    ['a truncated header', 'RIF'],
    ['an MPEG sync with a reserved layer', '\xff\xf9\x90\x64'.replace('\xf9', '\xe9')],
  ])('refuses %s', (_label, content) => {
    expect(sniffContainer(text(content))).toBeNull();
  });
});

describe('sniffFile', () => {
  it('reads the stored bytes, not the name: a playlist named .mp3 is refused with a stable code', async () => {
    const file = media.scratch.path('song.mp3');
    await writeFile(file, '#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n');
    await expect(sniffFile(file)).rejects.toMatchObject({ name: 'MediaError', code: 'unsupported_container', status: 422 });
    await expect(sniffFile(file)).rejects.toThrow(/playlist/);
  });

  it('looks past a large ID3 tag to the stream behind it', async () => {
    const mp3 = await render(media.tools, media.scratch.path('tagged.mp3'), evalSource('0.3*sin(2*PI*440*t)', 1), ['-id3v2_version', '3', '-metadata', `comment=${'x'.repeat(5000)}`]);
    expect(await sniffFile(mp3)).toEqual({ format: 'mp3', demuxer: 'mp3' });
  });

  it.each([
    ['a.wav', ['-c:a', 'pcm_s16le'], 'wav'],
    ['a.aiff', ['-c:a', 'pcm_s16be'], 'aiff'],
    ['a.flac', [], 'flac'],
    ['a.m4a', ['-c:a', 'aac'], 'mp4'],
    ['a.ogg', ['-c:a', 'libvorbis'], 'ogg'],
    ['a.opus', ['-c:a', 'libopus'], 'ogg'],
    ['a.webm', ['-c:a', 'libopus'], 'matroska'],
    ['a.mka', ['-c:a', 'flac'], 'matroska'],
    ['a.caf', [], 'caf'],
    ['a.aac', ['-c:a', 'aac', '-f', 'adts'], 'aac'],
    ['a.w64', [], 'w64'],
    ['a.au', [], 'au'],
    ['a.wma', ['-c:a', 'wmav2'], 'asf'],
    ['rf64.wav', ['-c:a', 'pcm_s16le', '-rf64', 'always'], 'rf64'],
  ])('identifies a real %s', async (name, args, format) => {
    const file = await render(media.tools, media.scratch.path(name), evalSource('0.3*sin(2*PI*440*t)', 1, 48000), args as string[]);
    expect((await sniffFile(file)).format).toBe(format);
  });
});

describe('ffmpeg input arguments for uploaded files', () => {
  it('always force the sniffed demuxer and allow only the file protocol, before -i', () => {
    for (const demuxer of ['mp3', 'wav', 'mov', 'matroska']) {
      const args = inputArgs({ format: 'mp3', demuxer }, '/tmp/x/concat:evil.mp3');
      const i = args.indexOf('-i');
      expect(args.slice(i)).toEqual(['-i', 'file:/tmp/x/concat:evil.mp3']);
      expect(args[args.indexOf('-f') + 1]).toBe(demuxer);
      expect(args.indexOf('-f')).toBeLessThan(i);
      expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
      expect(args.indexOf('-protocol_whitelist')).toBeLessThan(i);
    }
  });

  it('are what probe, decode and transcode hand to ffmpeg', async () => {
    const seen: string[][] = [];
    const spy = {
      ...media.tools,
      run: (args: readonly string[], o?: object) => (seen.push([...args]), media.tools.run(args, o)),
      runProbe: (args: readonly string[], o?: object) => (seen.push([...args]), media.tools.runProbe(args, o)),
      stream: (args: readonly string[], o?: object) => (seen.push([...args]), media.tools.stream(args, o)),
    };
    const source = await render(media.tools, media.scratch.path('spy.mp3'), evalSource('0.3*sin(2*PI*440*t)', 1));
    await probeAudio(spy, source);
    await decodePcm(spy, source, () => {});
    await transcode(spy, source, media.scratch.path('spy-out.m4a'), { codec: 'aac', bitrateKbps: 64 });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const args of seen) {
      const i = args.indexOf('-i');
      expect(args.slice(0, i)).toEqual(expect.arrayContaining(['-protocol_whitelist', 'file', '-f']));
      expect(args[i + 1]).toMatch(/^file:/);
    }
  });
});
