import { describe, expect, it } from 'vitest';
import { assertValidKey } from './key-rules.js';
import {
  collectionCover,
  MAX_FILE_NAME_LENGTH,
  productFile,
  releaseMedia,
  sanitizeFileName,
  tenantPrefix,
  trackArtwork,
  trackBasePath,
  trackDocument,
  trackPrefix,
  trackSource,
  trackStem,
  trackVariant,
  trackWaveform,
} from './object-keys.js';

const T = '0b9e2a4c-1d7f-4e0a-9c11-6f1b2d3e4a5b';
const K = '7c3d9e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f';
const V = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const A = 'f0e1d2c3-b4a5-4968-8776-655443322110';

describe('sanitizeFileName', () => {
  it.each([
    ['song.mp3', 'song.mp3'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['C:\\Users\\me\\Music\\Take 3.wav', 'Take_3.wav'],
    ['folder/', 'folder'],
    ['a\u0000b.mp3', 'ab.mp3'],
    ['line\nbreak\r\ttab.flac', 'linebreaktab.flac'],
    ['evil\u202Egpj.exe', 'evilgpj.exe'],
    ['My   Song\t (final) .WAV', 'My_Song_final.wav'],
    ['Café del Mar.MP3', 'Cafe_del_Mar.mp3'],
    ['Ångström – Ōsaka.aiff', 'Angstrom_Osaka.aiff'],
    ['東京.mp3', 'file.mp3'],
    ['🎵🎵.ogg', 'file.ogg'],
    ['.', 'file'],
    ['..', 'file'],
    ['...', 'file'],
    ['', 'file'],
    ['   ', 'file'],
    ['/', 'file'],
    ['.bashrc', 'bashrc'],
    ['.mp3', 'mp3'],
    ['track.tar.gz', 'track.tar.gz'],
    ['a..b.wav', 'a.b.wav'],
    ['weird ext.mp3?x=1', 'weird_ext.mp3_x_1'],
    ['name.with space', 'name.with_space'],
    ['__--..x..--__.mp3', 'x.mp3'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps long names and keeps the extension', () => {
    const out = sanitizeFileName(`${'a'.repeat(500)}.flac`);
    expect(out.length).toBe(MAX_FILE_NAME_LENGTH);
    expect(out.endsWith('.flac')).toBe(true);
    expect(out.startsWith('aaaa')).toBe(true);
  });

  it('caps a long name without an extension', () => {
    expect(sanitizeFileName('b'.repeat(300))).toBe('b'.repeat(MAX_FILE_NAME_LENGTH));
  });

  it('does not leave a trailing separator after cutting', () => {
    const out = sanitizeFileName(`${'a'.repeat(115)} ${'b'.repeat(20)}.mp3`);
    expect(out).toBe(`${'a'.repeat(115)}.mp3`);
  });

  it('treats an over-long "extension" as part of the name', () => {
    expect(sanitizeFileName('archive.verylongextension')).toBe('archive.verylongextension');
  });

  it('always yields a valid key segment', () => {
    const nasty = ['../', '\u0000', '..\u0000..', ' . ', 'a/b\\c', '\u200b\u200b', 'x'.repeat(2000), 'ñ'.repeat(200) + '.Mp3'];
    for (const name of nasty) {
      const out = sanitizeFileName(name);
      expect(out).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(out).not.toMatch(/^\.|^\.\.$/);
      expect(out.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
      expect(() => assertValidKey(`x/${out}`)).not.toThrow();
    }
  });
});

describe('object keys', () => {
  it('lays out a track', () => {
    expect(trackBasePath(T, K)).toBe(`t/${T}/tracks/${K}/${K}`);
    expect(trackPrefix(T, K)).toBe(`t/${T}/tracks/${K}`);
    expect(tenantPrefix(T)).toBe(`t/${T}`);
    expect(trackVariant(T, K, '_128', 'mp3')).toBe(`t/${T}/tracks/${K}/${K}_128.mp3`);
    expect(trackVariant(T, K, '', '.FLAC')).toBe(`t/${T}/tracks/${K}/${K}.flac`);
    expect(trackSource(T, K, V, '../Master Take.WAV')).toBe(`t/${T}/tracks/${K}/sources/${V}/Master_Take.wav`);
    expect(trackArtwork(T, K, A, 'jpg')).toBe(`t/${T}/tracks/${K}/artwork/${A}.jpg`);
    expect(trackDocument(T, K, A, 'split sheet.pdf')).toBe(`t/${T}/tracks/${K}/documents/${A}/split_sheet.pdf`);
    expect(trackStem(T, K, A, 'drums.wav')).toBe(`t/${T}/tracks/${K}/stems/${A}/drums.wav`);
    expect(trackWaveform(T, K, V, 2)).toBe(`t/${T}/tracks/${K}/waveforms/${V}/2.json`);
    expect(trackWaveform(T, K, V, 'overview')).toBe(`t/${T}/tracks/${K}/waveforms/${V}/overview.json`);
  });

  it('keeps every file a track owns under its prefix, and release media outside it', () => {
    const prefix = `${trackPrefix(T, K)}/`;
    const owned = [
      trackVariant(T, K, '_320', 'mp3'),
      trackSource(T, K, V, 'a.wav'),
      trackArtwork(T, K, A, 'png'),
      trackDocument(T, K, A, 'b.pdf'),
      trackStem(T, K, A, 'c.wav'),
      trackWaveform(T, K, V, 0),
    ];
    for (const key of owned) {
      expect(key.startsWith(prefix)).toBe(true);
      expect(() => assertValidKey(key)).not.toThrow();
    }
    const release = releaseMedia(T, V, K, A, 'Track 01.flac');
    expect(release).toBe(`t/${T}/releases/${V}/${K}/${A}/Track_01.flac`);
    expect(release.startsWith(prefix)).toBe(false);
    expect(release.startsWith(`${tenantPrefix(T)}/`)).toBe(true);
  });

  it('lays out collection covers', () => {
    expect(collectionCover(T, V, A, 'webp')).toBe(`t/${T}/collections/${V}/cover/${A}.webp`);
    expect(productFile(T, A, 'Press Kit.zip')).toBe(`t/${T}/products/${A}/Press_Kit.zip`);
  });

  it('refuses ids, suffixes, extensions and levels that could reshape the key', () => {
    expect(() => trackBasePath('../x', K)).toThrow(expect.objectContaining({ code: 'invalid_id', status: 400 }));
    expect(() => trackPrefix(T, 'a/b')).toThrow(expect.objectContaining({ code: 'invalid_id' }));
    expect(() => trackPrefix('', K)).toThrow(expect.objectContaining({ code: 'invalid_id' }));
    expect(() => trackSource(T, K, '..', 'a.wav')).toThrow(expect.objectContaining({ code: 'invalid_id' }));
    expect(() => trackVariant(T, K, '/../x', 'mp3')).toThrow(expect.objectContaining({ code: 'invalid_suffix' }));
    expect(() => trackVariant(T, K, '_1', 'mp3/..')).toThrow(expect.objectContaining({ code: 'invalid_extension' }));
    expect(() => trackArtwork(T, K, A, '')).toThrow(expect.objectContaining({ code: 'invalid_extension' }));
    expect(() => trackWaveform(T, K, V, -1)).toThrow(expect.objectContaining({ code: 'invalid_level' }));
    expect(() => trackWaveform(T, K, V, '../1')).toThrow(expect.objectContaining({ code: 'invalid_level' }));
    expect(() => collectionCover(T, 'x y', A, 'jpg')).toThrow(expect.objectContaining({ code: 'invalid_id' }));
  });
});
