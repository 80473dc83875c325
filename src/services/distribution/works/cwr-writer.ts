import { createHash } from 'node:crypto';
import { cwrShare, record } from './cwr-records.js';

export interface WorkParty {
  id: string;
  name: string;
  ipi: string | null;
  /** A CISAC society code (3 digits), when the party's PRO is one CWR knows. */
  society: string | null;
  /** Percent of the writers' (or publishers') side, from the split sheet. */
  percentage: number;
}

export interface Work {
  /** The catalog track the work is recorded on. */
  id: string;
  title: string;
  version: string | null;
  iswc: string | null;
  durationMs: number | null;
  performer: string | null;
  writers: WorkParty[];
  publishers: WorkParty[];
  recording: { isrc: string | null; releaseDate: string | null; albumTitle: string | null; label: string | null; upc: string | null; catalogNumber: string | null } | null;
  /** A work registered before (in an earlier file) is sent as a revision. */
  revision: boolean;
}

/** PRO names as CISAC society codes; unknown societies leave the field blank. */
const SOCIETIES: Record<string, string> = { ASCAP: '010', BMI: '021', SESAC: '071', SOCAN: '101', PRS: '052', GEMA: '035', SACEM: '058', APRA: '008', JASRAC: '088', SGAE: '079', SIAE: '074', STIM: '077', BUMA: '023', KODA: '040', TONO: '090', MCPS: '044' };
export const societyCode = (pro: string | null): string | null => (pro ? (SOCIETIES[pro.trim().toUpperCase()] ?? (/^\d{3}$/.test(pro.trim()) ? pro.trim() : null)) : null);

/** The submitter's interested-party number for a collaborator: stable, 9 characters. */
const ipNumber = (id: string) => createHash('sha1').update(id).digest('hex').slice(0, 9).toUpperCase();

const splitName = (name: string) => {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1 ? { last: parts.at(-1)!, first: parts.slice(0, -1).join(' ') } : { last: parts[0] ?? '', first: '' };
};

/** Shares of one right spread over parties by weight so they total exactly `total` (in hundredths). */
function spread(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!sum) return weights.map(() => 0);
  const raw = weights.map((w) => Math.floor((w / sum) * total * 100) / 100);
  const diff = Math.round((total - raw.reduce((a, b) => a + b, 0)) * 100) / 100;
  if (raw.length) raw[raw.length - 1] = Math.round((raw[raw.length - 1] + diff) * 100) / 100;
  return raw;
}

/**
 * Ownership: with publishers, the writers hold half the performing right and the publishers the
 * other half and all of the mechanical and synchronisation rights; without, the writers hold all.
 */
export function ownership(work: Work) {
  const hasPub = work.publishers.length > 0;
  const w = work.writers.map((x) => x.percentage);
  const p = work.publishers.map((x) => x.percentage);
  return {
    writers: { pr: spread(w, hasPub ? 50 : 100), mr: spread(w, hasPub ? 0 : 100), sr: spread(w, hasPub ? 0 : 100) },
    publishers: { pr: spread(p, 50), mr: spread(p, 100), sr: spread(p, 100) },
  };
}

const hhmmss = (ms: number | null) => {
  if (!ms) return null;
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}${String(s % 60).padStart(2, '0')}`;
};

/** A CWR 2.1 file: HDR, one group per transaction type (NWR, REV), each work's records, GRT, TRL. Lines end with CRLF. */
export function writeCwr(works: Work[], sender: { id: string; name: string }, now: Date): string {
  const lines: string[] = [];
  const ymd = now.toISOString().slice(0, 10).replace(/-/g, '');
  lines.push(record('HDR', { senderType: 'PB', senderId: sender.id, senderName: sender.name, ediVersion: '01.10', creationDate: ymd, creationTime: now.toISOString().slice(11, 19).replace(/:/g, ''), transmissionDate: ymd, characterSet: '' }));
  let groups = 0;
  let transactions = 0;
  for (const type of ['NWR', 'REV'] as const) {
    const group = works.filter((w) => (type === 'REV') === w.revision);
    if (!group.length) continue;
    groups++;
    const groupId = groups;
    const start = lines.length;
    lines.push(record('GRH', { transactionType: type, groupId, versionNumber: '02.10', batchRequest: '' }));
    group.forEach((work, t) => {
      let seq = 0;
      const rec = (kind: string, values: Record<string, string | number | null | undefined>) => lines.push(record(kind, { transactionSequence: t, recordSequence: seq++, ...values }));
      const shares = ownership(work);
      rec(type, {
        workTitle: work.title, languageCode: '', submitterWorkNumber: work.id.replace(/-/g, '').slice(-14), iswc: work.iswc?.replace(/[^0-9A-Z]/gi, '') ?? '', distributionCategory: 'POP',
        duration: hhmmss(work.durationMs) ?? '', recordedIndicator: work.recording?.isrc ? 'Y' : 'U', versionType: 'ORI', exceptionalClause: '', priorityFlag: '',
      });
      work.publishers.forEach((p, i) => {
        rec('SPU', {
          publisherSequence: i + 1, interestedPartyNumber: ipNumber(p.id), publisherName: p.name, publisherType: 'E', ipiNameNumber: p.ipi ?? '',
          prSociety: p.society ?? '', prShare: cwrShare(shares.publishers.pr[i]), mrSociety: p.society ?? '', mrShare: cwrShare(shares.publishers.mr[i]), srSociety: '', srShare: cwrShare(shares.publishers.sr[i]),
        });
        rec('SPT', { interestedPartyNumber: ipNumber(p.id), constant: '', prShare: cwrShare(shares.publishers.pr[i]), mrShare: cwrShare(shares.publishers.mr[i]), srShare: cwrShare(shares.publishers.sr[i]), inclusionExclusion: 'I', tisCode: 2136, sequence: 1 });
      });
      work.writers.forEach((wr, i) => {
        const { last, first } = splitName(wr.name);
        rec('SWR', {
          interestedPartyNumber: ipNumber(wr.id), lastName: last, firstName: first, designationCode: 'CA', ipiNameNumber: wr.ipi ?? '', prSociety: wr.society ?? '', prShare: cwrShare(shares.writers.pr[i]),
          mrSociety: wr.society ?? '', mrShare: cwrShare(shares.writers.mr[i]), srSociety: '', srShare: cwrShare(shares.writers.sr[i]),
        });
        rec('SWT', { interestedPartyNumber: ipNumber(wr.id), prShare: cwrShare(shares.writers.pr[i]), mrShare: cwrShare(shares.writers.mr[i]), srShare: cwrShare(shares.writers.sr[i]), inclusionExclusion: 'I', tisCode: 2136, sequence: 1 });
        for (const p of work.publishers) rec('PWR', { publisherIpNumber: ipNumber(p.id), publisherName: p.name, writerIpNumber: ipNumber(wr.id) });
      });
      if (work.version) rec('ALT', { alternateTitle: `${work.title} (${work.version})`, titleType: 'AT', languageCode: '' });
      if (work.performer) {
        const { last, first } = splitName(work.performer);
        rec('PER', { lastName: work.performer.length <= 45 ? work.performer : last, firstName: work.performer.length <= 45 ? '' : first });
      }
      if (work.recording) {
        const r = work.recording;
        rec('REC', {
          firstReleaseDate: r.releaseDate?.slice(0, 10).replace(/-/g, '') ?? '', firstReleaseDuration: hhmmss(work.durationMs) ?? '', firstAlbumTitle: r.albumTitle ?? '', firstAlbumLabel: r.label ?? '',
          firstReleaseCatalogNumber: r.catalogNumber ?? '', ean: r.upc ? r.upc.padStart(13, '0') : '', isrc: r.isrc ?? '', recordingFormat: 'A', recordingTechnique: 'D', mediaType: '',
        });
        // The work's origin: the release it was first recorded for.
        if (r.albumTitle) rec('ORN', { intendedPurpose: 'GEN', productionTitle: r.albumTitle, cdIdentifier: r.upc ?? '', yearOfProduction: r.releaseDate?.slice(0, 4) ?? '' });
      }
      transactions++;
    });
    lines.push(record('GRT', { groupId, transactionCount: group.length, recordCount: lines.length - start + 1 }));
  }
  lines.push(record('TRL', { groupCount: groups, transactionCount: transactions, recordCount: lines.length + 1 }));
  return lines.map((l) => `${l}\r\n`).join('');
}
