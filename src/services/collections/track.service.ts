import { fileNameDefaults } from '../../catalog/file-title.js';
import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import { extensionOf } from '../upload-rules.js';
import { ownerOf, requireOperation, type Operation } from './access.js';
import { mayAccessTrack } from '../../domain/track-access.js';
import type { CollectionService } from './collection.service.js';
import type { CollectionCounts } from './collection-counts.js';
import type { CoverService, UploadHandle } from './cover.service.js';
import type { CreatorService, Page } from './creator.service.js';
import type { TrackView } from './presenters/track.presenter.js';
import { purgeTrack } from './track-purge.js';
import { defaultExtras } from './track-extras.js';
import type { TrackViews } from './track-views.js';

export interface TrackFields {
  creatorId?: string | null;
  organizationIndex?: string | null;
  metadata?: Record<string, unknown>;
  isCoverOverridable?: boolean;
  isThemeOverridable?: boolean;
  playerTitle?: string | null;
  playerSubtitle?: string | null;
  playerColor?: string | null;
  title?: string;
}
export interface TrackCreateInput extends TrackFields {
  collectionId: string;
  fileName: string;
}
export interface TrackPatch extends TrackFields {
  collectionId?: string;
  fileName?: string;
}
/** Who a new track is filed for: the caller, or an upload session standing in for one. */
export interface TrackWriteContext {
  tenantId: string;
  ownerUserId: string | null;
  collectionId: string;
  creatorId: string | null;
  uploadSessionId: string | null;
}
export interface CreatedTrack {
  track: TrackView;
  trackUpload: UploadHandle;
  coverUpload: UploadHandle;
}

const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg', wav: 'audio/wav', wave: 'audio/wav', flac: 'audio/flac', m4a: 'audio/mp4', mp4: 'audio/mp4', aac: 'audio/aac',
  ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/opus', webm: 'audio/webm', aif: 'audio/aiff', aiff: 'audio/aiff', wma: 'audio/x-ms-wma',
};
/** AudioDN sends only a file name: the upload's content type is guessed from its extension. */
export const guessAudioType = (fileName: string): string => AUDIO_TYPES[extensionOf(fileName, '')] ?? 'application/octet-stream';

/** The client's title (or player title) when it gave one; else the file name's, until the file's tags say otherwise. */
function chosenTitle(input: Pick<TrackCreateInput, 'title' | 'playerTitle' | 'fileName'>): { title: string } | { title: string; metadata: string } {
  const title = input.title ?? input.playerTitle?.trim().slice(0, 240);
  return title ? { title } : fileNameDefaults(input.fileName);
}

export function createTrackService(
  deps: {
    /** `db` and `tracks` (and the sessions and variants repositories) for purging. */
    core: CoreDeps<'catalog' | 'config' | 'db', 'tracks', 'uploads'>;
    repos: Pick<CollectionsRepositories, 'tracks' | 'sessions' | 'variants'>;
    views: TrackViews;
    covers: CoverService;
    creators: CreatorService;
    collections: CollectionService;
    counts: CollectionCounts;
  },
) {
  const { core, repos, views, covers, creators, collections, counts } = deps;

  /** The track if the caller may perform `op` on it; out of a key's scope it does not exist. */
  async function findFor(actor: Actor, id: string, op: Operation): Promise<TrackRecord> {
    requireOperation(actor, op);
    const record = await repos.tracks.findRecord(actor.tenantId, id);
    if (!record || !mayAccessTrack(actor, record.track)) throw notFound('track_not_found', 'Track not found');
    return record;
  }

  /** Files the track, then opens its upload: processing starts when the bytes arrive at `upload_url`. */
  async function createIn(ctx: TrackWriteContext, input: Omit<TrackCreateInput, 'collectionId'>): Promise<CreatedTrack> {
    const id = uuidv7();
    const now = nowIso();
    await core.catalog.transaction(async (w) => {
      const tx = w.tx;
      await core.catalog.createTrack(w, {
        id, tenantId: ctx.tenantId, ownerUserId: ctx.ownerUserId, collectionId: ctx.collectionId, ...chosenTitle(input),
      });
      await repos.tracks.insert(
        {
          ...defaultExtras(ctx.tenantId, id, now),
          creatorId: input.creatorId ?? ctx.creatorId,
          organizationIndex: input.organizationIndex ?? null,
          fileName: input.fileName,
          metadata: JSON.stringify(input.metadata ?? {}),
          playerTitle: input.playerTitle ?? null,
          playerSubtitle: input.playerSubtitle ?? null,
          playerColor: input.playerColor ?? null,
          playerColorSource: input.playerColor ? 'client' : null,
          isCoverOverridable: Number(input.isCoverOverridable ?? true),
          isThemeOverridable: Number(input.isThemeOverridable ?? true),
          uploadSessionId: ctx.uploadSessionId,
        },
        tx,
      );
    });
    counts.forget(ctx.collectionId);
    let intent;
    try {
      intent = await core.services.uploads.createIntent({
        tenantId: ctx.tenantId,
        ownerUserId: ctx.ownerUserId,
        kind: 'audio',
        fileName: input.fileName,
        contentType: guessAudioType(input.fileName),
        byteSize: core.config.limits.audioBytes,
        exactSize: false,
        track: { id },
        autoFinalize: true,
      });
    } catch (err) {
      await purgeTrack(core, repos, ctx.tenantId, id);
      counts.forget(ctx.collectionId);
      throw err;
    }
    const record = (await repos.tracks.findRecord(ctx.tenantId, id))!;
    return {
      track: await views.presentOne(record),
      trackUpload: { method: 'PUT', upload_url: intent.signed.url, ttl: core.config.limits.uploadUrlTtlSeconds, expires_at: intent.signed.expiresAt.toISOString(), headers: intent.signed.headers },
      coverUpload: covers.handle('track', ctx.tenantId, id),
    };
  }

  async function create(actor: Actor, input: TrackCreateInput): Promise<CreatedTrack> {
    requireOperation(actor, 'upload');
    await collections.findFor(actor, input.collectionId, 'upload');
    await creators.requireExisting(actor.tenantId, input.creatorId);
    return createIn({ tenantId: actor.tenantId, ownerUserId: ownerOf(actor), collectionId: input.collectionId, creatorId: null, uploadSessionId: null }, input);
  }

  const get = async (actor: Actor, id: string): Promise<TrackView> => views.presentOne(await findFor(actor, id, 'read'));
  /** `get` as JSON text: what `GET /v1/track/{id}` sends. */
  const getJson = async (actor: Actor, id: string): Promise<string> => views.presentJson(await findFor(actor, id, 'read'));

  /** A page of the collection's tracks in filing order, with `count` the collection's total; `tracks` is a JSON array's text. */
  async function listJson(actor: Actor, collectionId: string, page: Page): Promise<{ count: number; tracks: string }> {
    await collections.findFor(actor, collectionId, 'read');
    const from = await counts.startOf(collectionId, page.offset);
    const [ids, count] = await Promise.all([repos.tracks.pageIds(collectionId, { ...page, from }), counts.count(collectionId)]);
    const records = (await repos.tracks.findRecords(actor.tenantId, ids)).filter((r) => mayAccessTrack(actor, r.track));
    return { count, tracks: await views.presentJsonArray(records) };
  }

  async function update(actor: Actor, id: string, patch: TrackPatch): Promise<TrackView> {
    const record = await findFor(actor, id, 'manage');
    if (patch.collectionId !== undefined && patch.collectionId !== record.track.collectionId) await collections.findFor(actor, patch.collectionId, 'manage');
    if (patch.creatorId) await creators.requireExisting(actor.tenantId, patch.creatorId);
    const now = nowIso();
    await core.catalog.transaction(async (w) => {
      const tx = w.tx;
      if (!record.extras) await repos.tracks.ensure(defaultExtras(actor.tenantId, id, now), tx);
      if (patch.title !== undefined || patch.collectionId !== undefined) {
        await core.catalog.updateTrack(w, record.track, { ...(patch.title !== undefined ? { title: patch.title } : {}), ...(patch.collectionId !== undefined ? { collectionId: patch.collectionId } : {}), updatedAt: now });
      }
      await repos.tracks.update(
        id,
        {
          ...(patch.creatorId !== undefined ? { creatorId: patch.creatorId } : {}),
          ...(patch.organizationIndex !== undefined ? { organizationIndex: patch.organizationIndex } : {}),
          ...(patch.fileName !== undefined ? { fileName: patch.fileName } : {}),
          ...(patch.metadata !== undefined ? { metadata: JSON.stringify(patch.metadata) } : {}),
          ...(patch.isCoverOverridable !== undefined ? { isCoverOverridable: Number(patch.isCoverOverridable) } : {}),
          ...(patch.isThemeOverridable !== undefined ? { isThemeOverridable: Number(patch.isThemeOverridable) } : {}),
          ...(patch.playerTitle !== undefined ? { playerTitle: patch.playerTitle } : {}),
          ...(patch.playerSubtitle !== undefined ? { playerSubtitle: patch.playerSubtitle } : {}),
          ...(patch.playerColor !== undefined ? { playerColor: patch.playerColor, playerColorSource: patch.playerColor ? 'client' : null } : {}),
          updatedAt: now,
        },
        tx,
      );
    });
    if (patch.collectionId !== undefined) counts.forget(record.track.collectionId, patch.collectionId);
    return views.presentOne((await repos.tracks.findRecord(actor.tenantId, id))!);
  }

  /** Deletes the track with every file it has. */
  async function remove(actor: Actor, id: string): Promise<TrackView> {
    const record = await findFor(actor, id, 'manage');
    const view = await views.presentOne(record);
    await purgeTrack(core, repos, actor.tenantId, id);
    counts.forget(record.track.collectionId);
    return view;
  }

  async function coverUpload(actor: Actor, id: string): Promise<{ track: TrackView; coverUpload: UploadHandle }> {
    const record = await findFor(actor, id, 'upload');
    return { track: await views.presentOne(record), coverUpload: covers.handle('track', actor.tenantId, id) };
  }

  return { create, createIn, get, getJson, listJson, update, remove, coverUpload, findFor };
}
export type TrackService = ReturnType<typeof createTrackService>;
