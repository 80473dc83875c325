/**
 * CWR 2.1 record layouts (CISAC, Common Works Registration, version 2.1): each field's name
 * and width, in order. Every record is the concatenation of its fields, padded or cut to width,
 * so a record's length is the sum of its widths.
 */
export type Field = [name: string, width: number, kind?: 'A' | 'N'];

/** Record type, transaction sequence number, record sequence number: the start of every transaction record. */
const PREFIX: Field[] = [['recordType', 3], ['transactionSequence', 8, 'N'], ['recordSequence', 8, 'N']];

export const LAYOUTS: Record<string, Field[]> = {
  HDR: [['recordType', 3], ['senderType', 2], ['senderId', 9, 'N'], ['senderName', 45], ['ediVersion', 5], ['creationDate', 8, 'N'], ['creationTime', 6, 'N'], ['transmissionDate', 8, 'N'], ['characterSet', 15]],
  GRH: [['recordType', 3], ['transactionType', 3], ['groupId', 5, 'N'], ['versionNumber', 5], ['batchRequest', 10, 'N'], ['submissionType', 2]],
  GRT: [['recordType', 3], ['groupId', 5, 'N'], ['transactionCount', 8, 'N'], ['recordCount', 8, 'N']],
  TRL: [['recordType', 3], ['groupCount', 5, 'N'], ['transactionCount', 8, 'N'], ['recordCount', 8, 'N']],
  NWR: [
    ...PREFIX, ['workTitle', 60], ['languageCode', 2], ['submitterWorkNumber', 14], ['iswc', 11], ['copyrightDate', 8, 'N'], ['copyrightNumber', 12], ['distributionCategory', 3],
    ['duration', 6, 'N'], ['recordedIndicator', 1], ['textMusicRelationship', 3], ['compositeType', 3], ['versionType', 3], ['excerptType', 3], ['musicArrangement', 3],
    ['lyricAdaptation', 3], ['contactName', 30], ['contactId', 10], ['cwrWorkType', 2], ['grandRightsIndicator', 1], ['compositeComponentCount', 3, 'N'],
    ['printedEditionDate', 8, 'N'], ['exceptionalClause', 1], ['opusNumber', 25], ['catalogueNumber', 25], ['priorityFlag', 1],
  ],
  SPU: [
    ...PREFIX, ['publisherSequence', 2, 'N'], ['interestedPartyNumber', 9], ['publisherName', 45], ['publisherUnknown', 1], ['publisherType', 2], ['taxId', 9], ['ipiNameNumber', 11, 'N'],
    ['submitterAgreementNumber', 14], ['prSociety', 3, 'N'], ['prShare', 5, 'N'], ['mrSociety', 3, 'N'], ['mrShare', 5, 'N'], ['srSociety', 3, 'N'], ['srShare', 5, 'N'],
    ['specialAgreements', 1], ['firstRecordingRefusal', 1], ['filler', 1], ['ipiBaseNumber', 13], ['isac', 14], ['societyAgreementNumber', 14], ['agreementType', 2], ['usaLicense', 1],
  ],
  SPT: [...PREFIX, ['interestedPartyNumber', 9], ['constant', 6], ['prShare', 5, 'N'], ['mrShare', 5, 'N'], ['srShare', 5, 'N'], ['inclusionExclusion', 1], ['tisCode', 4, 'N'], ['sharesChange', 1], ['sequence', 3, 'N']],
  SWR: [
    ...PREFIX, ['interestedPartyNumber', 9], ['lastName', 45], ['firstName', 30], ['writerUnknown', 1], ['designationCode', 2], ['taxId', 9], ['ipiNameNumber', 11, 'N'],
    ['prSociety', 3, 'N'], ['prShare', 5, 'N'], ['mrSociety', 3, 'N'], ['mrShare', 5, 'N'], ['srSociety', 3, 'N'], ['srShare', 5, 'N'], ['reversionary', 1],
    ['firstRecordingRefusal', 1], ['workForHire', 1], ['filler', 1], ['ipiBaseNumber', 13], ['personalNumber', 12, 'N'], ['usaLicense', 1],
  ],
  SWT: [...PREFIX, ['interestedPartyNumber', 9], ['prShare', 5, 'N'], ['mrShare', 5, 'N'], ['srShare', 5, 'N'], ['inclusionExclusion', 1], ['tisCode', 4, 'N'], ['sharesChange', 1], ['sequence', 3, 'N']],
  PWR: [...PREFIX, ['publisherIpNumber', 9], ['publisherName', 45], ['submitterAgreementNumber', 14], ['societyAgreementNumber', 14], ['writerIpNumber', 9]],
  ALT: [...PREFIX, ['alternateTitle', 60], ['titleType', 2], ['languageCode', 2]],
  PER: [...PREFIX, ['lastName', 45], ['firstName', 30], ['ipiNameNumber', 11, 'N'], ['ipiBaseNumber', 13]],
  REC: [
    ...PREFIX, ['firstReleaseDate', 8, 'N'], ['constant1', 60], ['firstReleaseDuration', 6, 'N'], ['constant2', 5], ['firstAlbumTitle', 60], ['firstAlbumLabel', 60],
    ['firstReleaseCatalogNumber', 18], ['ean', 13], ['isrc', 12], ['recordingFormat', 1], ['recordingTechnique', 1], ['mediaType', 3],
  ],
  ORN: [...PREFIX, ['intendedPurpose', 3], ['productionTitle', 60], ['cdIdentifier', 15], ['cutNumber', 4, 'N'], ['library', 60], ['bltvr', 1], ['visan', 25], ['productionNumber', 12], ['episodeTitle', 60], ['episodeNumber', 20], ['yearOfProduction', 4, 'N'], ['aviSociety', 3, 'N'], ['audioVisualNumber', 15]],
};
// A revised work is written exactly like a new one.
LAYOUTS.REV = LAYOUTS.NWR;

export const recordLength = (type: string): number => LAYOUTS[type].reduce((n, [, w]) => n + w, 0);

/** CWR text is upper-case ASCII; accents are dropped rather than miscounted. */
const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '?').toUpperCase();

/** One record: alphanumeric fields left-aligned and space-padded, numeric ones right-aligned and zero-padded (blank when empty). */
export function record(type: string, values: Record<string, string | number | null | undefined>): string {
  const layout = LAYOUTS[type];
  if (!layout) throw new Error(`unknown CWR record type ${type}`);
  return layout
    .map(([name, width, kind]) => {
      const v = name === 'recordType' ? type : values[name];
      if (v === null || v === undefined || v === '') return ' '.repeat(width);
      if (kind === 'N') return String(v).replace(/\D/g, '').slice(-width).padStart(width, '0');
      return ascii(String(v)).slice(0, width).padEnd(width, ' ');
    })
    .join('');
}

/** Reads a record back into its fields (trimmed), by its record type. */
export function parseRecord(line: string): { type: string; fields: Record<string, string> } {
  const type = line.slice(0, 3);
  const layout = LAYOUTS[type];
  if (!layout) throw new Error(`unknown CWR record type ${type}`);
  const fields: Record<string, string> = {};
  let at = 0;
  for (const [name, width] of layout) {
    fields[name] = line.slice(at, at + width).trim();
    at += width;
  }
  return { type, fields };
}

/** A share as CWR writes it: 5 digits, 3 integer and 2 decimal (50% -> 05000). */
export const cwrShare = (percent: number) => String(Math.round(percent * 100)).padStart(5, '0');
