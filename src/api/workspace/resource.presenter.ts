import type { EveryLane, Lane } from '../../domain/lanes.js';
import type { ProcessingStatus } from '../../services/processing.service.js';
import type { AssetRow } from '../../repositories/asset.repository.js';
import type { StoredFileView, VersionView } from '../../services/workspace/media.service.js';
import { compact } from './track.presenter.js';

/** A stored file as clients see it: no storage key, no owner. */
export const presentAsset = (a: AssetRow) => ({
  id: a.id,
  kind: a.kind,
  ...compact({ name: a.name }),
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  status: a.status,
  createdAt: a.createdAt,
});

export const presentStoredFile = (f: StoredFileView) => ({ ...presentAsset(f.asset), isCurrent: f.isCurrent, ...compact({ url: f.url }) });

export const presentVersions = (v: { trackId: string; currentVersionId: string | null; versions: VersionView[] }) => ({
  trackId: v.trackId,
  currentVersionId: v.currentVersionId,
  versions: v.versions.map((x) => ({
    id: x.id,
    label: x.label,
    isOriginal: x.isOriginal,
    isCurrent: x.isCurrent,
    assetId: x.asset?.id ?? null,
    fileName: x.asset?.fileName ?? null,
    contentType: x.asset?.contentType ?? null,
    size: x.asset?.size ?? null,
    durationMs: x.durationMs,
    createdAt: x.createdAt,
  })),
});

/** Lane errors can carry tool output with file system paths; clients get the first line without them. */
export function publicLaneError(error: string | null): string | null {
  if (!error) return null;
  return error.split('\n')[0].replace(/(?:[A-Za-z]:)?[\\/][^\s'"():,]+/g, '<file>').slice(0, 300);
}

/**
 * The order `stages` lists the lanes in on this API. It is not lane order (playback comes right
 * after probe, embeddings last): clients have always received the keys this way, so it stays, but
 * it must name every lane of the lane table.
 */
export const WORKSPACE_LANES = ['probe', 'playback', 'waveform', 'tags', 'stems', 'lyrics', 'embeddings'] as const satisfies readonly Lane[];
WORKSPACE_LANES satisfies EveryLane<typeof WORKSPACE_LANES>;

export function presentProcessingStatus(s: ProcessingStatus) {
  return {
    trackId: s.trackId,
    stages: Object.fromEntries(
      WORKSPACE_LANES.filter((lane) => s.stages[lane]).map((lane) => {
        const st = s.stages[lane];
        return [lane, { status: st.status, attempts: st.attempts, error: publicLaneError(st.error), startedAt: st.startedAt, finishedAt: st.finishedAt, updatedAt: st.updatedAt }];
      }),
    ),
    assets: s.assets.map((a) => ({ id: a.id, kind: a.kind, ...compact({ name: a.name }), status: a.status, contentType: a.contentType, size: a.size, fileName: a.fileName, createdAt: a.createdAt })),
    remoteDispatches: s.remoteDispatches.map((d) => ({ id: d.id, lane: d.lane, status: d.status, attempts: d.attempts, error: publicLaneError(d.error), createdAt: d.createdAt, completedAt: d.completedAt })),
    ...(s.ingestionRun ? { ingestionRun: s.ingestionRun } : {}),
    readiness: s.readiness,
  };
}
