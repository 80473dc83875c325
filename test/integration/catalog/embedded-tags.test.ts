import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { organization, uploadTo, type Org } from '../collections/setup.js';
import { client, createTrack, uploadThroughApi, type Client } from '../workspace/workspace-api.js';

/** An MP3 whose ID3v2 tags name title, artist, album, ISRC (TSRC) and track number. */
function taggedMp3(tags: Record<string, string>): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-tags-'));
  const out = path.join(dir, 'tagged.mp3');
  const meta = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3', ...meta, out], { stdio: 'pipe' });
  return readFileSync(out);
}

const TAGS = { title: 'Night Drive', artist: 'Lumen', album: 'Roads', TSRC: 'USRC17607839', track: '3' };

describe.each(dialects())('imported audio takes its embedded tags (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let org: Org;
  let tagged: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    org = await organization(t, 'tag-org');
    tagged = taggedMp3(TAGS);
    await t.container.startWorkers();
  });
  afterAll(async () => t?.close());

  const settle = () => t.container.queue.onIdle({ timeoutMs: 60_000 });

  it('workspace upload: the tags title the track, name its artist, album, ISRC and track number', async () => {
    const id = await createTrack(t, alice, { name: 'upload-0042.mp3', bytes: tagged });
    await settle();
    const track = (await alice.get(`/tracks/${id}`)).json();
    expect(track).toMatchObject({ id, title: 'Night Drive', artist: 'Lumen', isrc: 'USRC17607839', album: 'Roads', trackNumber: 3 });
  });

  it('workspace upload without tags keeps the file-name title', async () => {
    const id = await createTrack(t, alice, { name: 'Harbour Lights.mp3', bytes: toneBytes({ seconds: 1, format: 'mp3' }) });
    await settle();
    const track = (await alice.get(`/tracks/${id}`)).json();
    expect(track.title).toBe('Harbour Lights');
    expect(track.artist).toBe('');
    expect(track).not.toHaveProperty('album');
    expect(track).not.toHaveProperty('isrc');
  });

  it('an invalid ISRC in the tags is not taken', async () => {
    const id = await createTrack(t, alice, { name: 'bad-isrc.mp3', bytes: taggedMp3({ title: 'Bad Code', TSRC: 'NOT-AN-ISRC' }) });
    await settle();
    const track = (await alice.get(`/tracks/${id}`)).json();
    expect(track.title).toBe('Bad Code');
    expect(track).not.toHaveProperty('isrc');
  });

  it('workspace: a title and artist set before the bytes are processed are never replaced by tags', async () => {
    const { ticket } = await uploadThroughApi(t, alice, '/uploads', { name: 'mine.mp3', bytes: tagged }, { finalize: false });
    expect((await alice.patch(`/tracks/${ticket.trackId}/metadata`, { title: 'My Own Title', artist: 'Me' })).statusCode).toBe(200);
    expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
    await settle();
    expect((await alice.get(`/tracks/${ticket.trackId}`)).json()).toMatchObject({ title: 'My Own Title', artist: 'Me', isrc: 'USRC17607839', album: 'Roads' });
  });

  it('collections upload: the tags fill title and metadata; the client’s title and metadata keys stand', async () => {
    const collection = (await org.api.post('/v1/collection', { title: 'Tags' })).body.collection;
    const plain = (await org.api.post('/v1/track', { collection_id: collection.id, file_name: 'take-7.mp3' })).body;
    expect(plain.track.title).toBe('take-7');
    expect((await uploadTo(t, plain.track_upload, tagged)).statusCode).toBe(200);
    const chosen = (await org.api.post('/v1/track', { collection_id: collection.id, file_name: 'take-8.mp3', player_title: 'Client Title', metadata: { album: 'Client Album' } })).body;
    expect((await uploadTo(t, chosen.track_upload, tagged)).statusCode).toBe(200);
    await settle();

    const a = (await org.api.get(`/v1/track/${plain.track_id}`)).body.track;
    expect(a).toMatchObject({ title: 'Night Drive', metadata: { artist: 'Lumen', album: 'Roads', isrc: 'USRC17607839', track_number: 3 } });
    const b = (await org.api.get(`/v1/track/${chosen.track_id}`)).body.track;
    expect(b).toMatchObject({ title: 'Client Title', metadata: { artist: 'Lumen', album: 'Client Album', isrc: 'USRC17607839', track_number: 3 } });
  });
});
