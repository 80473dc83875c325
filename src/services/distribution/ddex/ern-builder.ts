import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { audioCodec, contributorRole, isoDuration } from './ern-codes.js';
import type { ErnArtistCredit, ErnContributorCredit, ErnDeal, ErnMessage, ErnMessagingParty, ErnTrack } from './ern-model.js';

const ERN_NS = 'http://ddex.net/xml/ern/43';
const AVS_VERSION = '8';
const SCHEMA_LOCATION = 'http://ddex.net/xml/ern/43 http://service.ddex.net/xml/ern/43/release-notification.xsd';

/**
 * The ERN 4.3 XML of a message: `NewReleaseMessage` for new, update and takedown (whose deals
 * end), `PurgeReleaseMessage` for a purge. Written with xmlbuilder2, so every value is escaped.
 */
export function buildErn(m: ErnMessage): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(ERN_NS, m.kind === 'purge' ? 'ern:PurgeReleaseMessage' : 'ern:NewReleaseMessage', {
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': SCHEMA_LOCATION,
    AvsVersionId: AVS_VERSION,
    LanguageAndScriptCode: m.release.language ?? 'en',
    ...(m.kind === 'purge' ? {} : { ReleaseProfileVersionId: 'Audio' }),
  });
  header(root, m);
  if (m.kind === 'purge') purged(root, m);
  else {
    partyList(root, m);
    resourceList(root, m);
    releaseList(root, m);
    dealList(root, m);
  }
  return root.end({ prettyPrint: true });
}

function messagingParty(parent: XMLBuilder, name: string, p: ErnMessagingParty): void {
  const e = parent.ele(name);
  e.ele('PartyId').txt(p.partyId);
  e.ele('PartyName').ele('FullName').txt(p.name);
}

function header(root: XMLBuilder, m: ErnMessage): void {
  const h = root.ele('MessageHeader');
  h.ele('MessageThreadId').txt(m.threadId);
  h.ele('MessageId').txt(m.messageId);
  messagingParty(h, 'MessageSender', m.sender);
  for (const r of m.recipients) messagingParty(h, 'MessageRecipient', r);
  h.ele('MessageCreatedDateTime').txt(m.createdAt);
  h.ele('MessageControlType').txt(m.test ? 'TestMessage' : 'LiveMessage');
}

function purged(root: XMLBuilder, m: ErnMessage): void {
  const p = root.ele('PurgedRelease');
  releaseId(p, m.release.upc, m.release.grid, m.release.catalogNumber, m.release.productId);
  p.ele('Title').ele('TitleText').txt(m.release.title);
}

function partyList(root: XMLBuilder, m: ErnMessage): void {
  const list = root.ele('PartyList');
  for (const p of m.parties) {
    const e = list.ele('Party');
    e.ele('PartyReference').txt(p.ref);
    e.ele('PartyName').ele('FullName').txt(p.name);
    if (p.isni || p.ipi) {
      const id = e.ele('PartyId');
      if (p.isni) id.ele('ISNI').txt(p.isni);
      if (p.ipi) id.ele('IpiNameNumber').txt(p.ipi);
    }
  }
}

/** `DisplayTitleText` and a `DisplayTitle` with the version as its `SubTitle`. */
function displayTitle(parent: XMLBuilder, text: string, version: string | null | undefined): void {
  parent.ele('DisplayTitleText').txt(text);
  const title = parent.ele('DisplayTitle');
  title.ele('TitleText').txt(text);
  if (version) title.ele('SubTitle').txt(version);
}

function displayArtists(parent: XMLBuilder, credits: ErnArtistCredit[]): void {
  credits.forEach((a, i) => {
    const e = parent.ele('DisplayArtist', { SequenceNumber: String(i + 1) });
    e.ele('ArtistPartyReference').txt(a.partyRef);
    e.ele('DisplayArtistRole').txt(a.role);
  });
}

function contributors(parent: XMLBuilder, credits: ErnContributorCredit[]): void {
  credits.forEach((c, i) => {
    const e = parent.ele('Contributor', { SequenceNumber: String(i + 1) });
    e.ele('ContributorPartyReference').txt(c.partyRef);
    const role = contributorRole(c.role);
    e.ele('Role', role.userDefined ? { UserDefinedValue: role.userDefined } : {}).txt(role.value);
  });
}

function soundRecording(list: XMLBuilder, t: ErnTrack, m: ErnMessage): void {
  const sr = list.ele('SoundRecording');
  sr.ele('ResourceReference').txt(t.resourceRef);
  sr.ele('Type').txt('MusicalWorkSoundRecording');
  const ed = sr.ele('SoundRecordingEdition');
  const id = ed.ele('ResourceId');
  if (t.isrc) id.ele('ISRC').txt(t.isrc);
  else id.ele('ProprietaryId', { Namespace: `DPID:${m.sender.partyId}` }).txt(t.assetId);
  if (t.pLine) pLine(ed, t.pLine);
  if (t.audio) {
    const a = t.audio;
    const td = ed.ele('TechnicalDetails');
    td.ele('TechnicalResourceDetailsReference').txt(`T${t.resourceRef.slice(1)}`);
    const f = td.ele('DeliveryFile');
    f.ele('Type').txt('AudioFile');
    f.ele('AudioCodecType').txt(audioCodec(a.codec));
    if (a.bitRateKbps) f.ele('BitRate', { UnitOfMeasure: 'kbps' }).txt(String(a.bitRateKbps));
    if (a.channels) f.ele('NumberOfChannels').txt(String(a.channels));
    if (a.sampleRate) f.ele('SamplingRate', { UnitOfMeasure: 'Hz' }).txt(String(a.sampleRate));
    if (a.bitsPerSample) f.ele('BitsPerSample').txt(String(a.bitsPerSample));
    if (a.durationMs) f.ele('Duration').txt(isoDuration(a.durationMs));
    file(f, a.uri, a.md5, a.size);
  }
  if (t.iswc) sr.ele('WorkId').ele('ISWC').txt(t.iswc.replace(/[^0-9A-Z]/gi, ''));
  displayTitle(sr, t.title, t.version);
  sr.ele('DisplayArtistName').txt(t.displayArtist ?? '');
  displayArtists(sr, t.artists);
  contributors(sr, t.contributors);
  sr.ele('Duration').txt(isoDuration(t.durationMs ?? t.audio?.durationMs ?? 0));
  sr.ele('ParentalWarningType').txt(t.parentalWarning);
  if (t.language) sr.ele('LanguageOfPerformance').txt(t.language.toLowerCase());
}

function file(parent: XMLBuilder, uri: string, md5: string, size: number): void {
  const f = parent.ele('File');
  f.ele('URI').txt(uri);
  const h = f.ele('HashSum');
  h.ele('Algorithm').txt('MD5');
  h.ele('HashSumValue').txt(md5);
  f.ele('FileSize').txt(String(size));
}

const pLine = (parent: XMLBuilder, p: { year: number | null; text: string }) => {
  const e = parent.ele('PLine');
  if (p.year) e.ele('Year').txt(String(p.year));
  e.ele('PLineText').txt(p.text);
};

function resourceList(root: XMLBuilder, m: ErnMessage): void {
  const list = root.ele('ResourceList');
  for (const t of m.tracks) soundRecording(list, t, m);
  const art = m.artwork;
  if (art) {
    const img = list.ele('Image');
    img.ele('ResourceReference').txt(imageRef(m));
    img.ele('Type').txt('FrontCoverImage');
    img.ele('ResourceId').ele('ProprietaryId', { Namespace: `DPID:${m.sender.partyId}` }).txt(`${m.release.productId}-cover`);
    const td = img.ele('TechnicalDetails');
    td.ele('TechnicalResourceDetailsReference').txt(`T${m.tracks.length + 1}`);
    td.ele('ImageCodecType').txt(art.codec);
    if (art.height) td.ele('ImageHeight', { UnitOfMeasure: 'Pixel' }).txt(String(art.height));
    if (art.width) td.ele('ImageWidth', { UnitOfMeasure: 'Pixel' }).txt(String(art.width));
    file(td, art.uri, art.md5, art.size);
  }
}

const imageRef = (m: ErnMessage) => `A${m.tracks.length + 1}`;

function releaseId(parent: XMLBuilder, upc: string | null, grid: string | null, catalogNumber: string | null, productId: string): void {
  const id = parent.ele('ReleaseId');
  if (grid) id.ele('GRid').txt(grid);
  if (upc) id.ele('ICPN').txt(upc);
  if (catalogNumber) id.ele('CatalogNumber', { Namespace: 'DPID' }).txt(catalogNumber);
  if (!grid && !upc && !catalogNumber) id.ele('ProprietaryId', { Namespace: 'ledgerline' }).txt(productId);
}

function genre(parent: XMLBuilder, g: string | null, sub: string | null): void {
  const e = parent.ele('Genre');
  e.ele('GenreText').txt(g ?? 'Unknown');
  if (sub) e.ele('SubGenre').txt(sub);
}

function releaseList(root: XMLBuilder, m: ErnMessage): void {
  const r = m.release;
  const list = root.ele('ReleaseList');
  const main = list.ele('Release');
  main.ele('ReleaseReference').txt(r.ref);
  main.ele('ReleaseType').txt(r.releaseType);
  releaseId(main, r.upc, r.grid, r.catalogNumber, r.productId);
  displayTitle(main, r.title, r.version);
  main.ele('DisplayArtistName').txt(r.displayArtist ?? '');
  displayArtists(main, r.artists);
  main.ele('ReleaseLabelReference').txt(r.labelRef);
  if (r.pLine) pLine(main, r.pLine);
  if (r.cLine) {
    const c = main.ele('CLine');
    if (r.cLine.year) c.ele('Year').txt(String(r.cLine.year));
    c.ele('CLineText').txt(r.cLine.text);
  }
  const total = m.tracks.reduce((s, t) => s + (t.durationMs ?? 0), 0);
  if (total) main.ele('Duration').txt(isoDuration(total));
  genre(main, r.genre, r.subGenre);
  if (r.releaseDate) main.ele('ReleaseDate').txt(r.releaseDate.slice(0, 10));
  if (r.originalReleaseDate) main.ele('OriginalReleaseDate').txt(r.originalReleaseDate.slice(0, 10));
  main.ele('ParentalWarningType').txt(r.parentalWarning);
  resourceGroup(main, m);
  m.tracks.forEach((t) => {
    const tr = list.ele('TrackRelease');
    tr.ele('ReleaseReference').txt(t.releaseRef);
    releaseId(tr, null, null, null, t.assetId);
    tr.ele('DisplayTitleText').txt(t.title);
    tr.ele('DisplayTitle').ele('TitleText').txt(t.title);
    tr.ele('ReleaseResourceReference').txt(t.resourceRef);
    tr.ele('ReleaseLabelReference').txt(r.labelRef);
    genre(tr, t.genre ?? r.genre, t.subGenre);
  });
}

/** One group for the release; with several discs, one sub-group per disc, tracks in order. */
function resourceGroup(main: XMLBuilder, m: ErnMessage): void {
  const group = main.ele('ResourceGroup');
  const discs = [...new Set(m.tracks.map((t) => t.disc))].sort((a, b) => a - b);
  const items = (g: XMLBuilder, tracks: ErnTrack[]) =>
    tracks.forEach((t, i) => {
      const item = g.ele('ResourceGroupContentItem');
      item.ele('SequenceNumber').txt(String(i + 1));
      item.ele('ReleaseResourceReference').txt(t.resourceRef);
    });
  if (discs.length > 1) {
    discs.forEach((disc, i) => {
      const sub = group.ele('ResourceGroup', { ResourceGroupType: 'Component' });
      sub.ele('DisplayTitleText').txt(`Disc ${disc}`);
      sub.ele('SequenceNumber').txt(String(i + 1));
      items(sub, m.tracks.filter((t) => t.disc === disc));
    });
  } else items(group, m.tracks);
  if (m.artwork) {
    // The cover is linked to the release's group, outside the track sequence.
    group.ele('LinkedReleaseResourceReference', { LinkDescription: 'CoverArt' }).txt(imageRef(m));
  }
}

function deal(parent: XMLBuilder, d: ErnDeal): void {
  const terms = parent.ele('Deal').ele('DealTerms');
  for (const code of d.territories) terms.ele('TerritoryCode').txt(code);
  const period = terms.ele('ValidityPeriod');
  period.ele('StartDate').txt(d.startDate);
  if (d.endDate) period.ele('EndDate').txt(d.endDate);
  terms.ele('CommercialModelType').txt(d.commercialModel);
  for (const u of d.useTypes) terms.ele('UseType').txt(u);
}

function dealList(root: XMLBuilder, m: ErnMessage): void {
  const list = root.ele('DealList');
  for (const ref of [m.release.ref, ...m.tracks.map((t) => t.releaseRef)]) {
    const rd = list.ele('ReleaseDeal');
    rd.ele('DealReleaseReference').txt(ref);
    for (const d of m.deals) deal(rd, d);
  }
}
