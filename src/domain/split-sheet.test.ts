import { describe, expect, it } from 'vitest';
import { deriveRights, validateSplitSheet, type SplitSheetInput } from './split-sheet.js';

const valid = (): SplitSheetInput => ({
  address: '1 Studio Lane',
  intendedUse: 'single release',
  master: [
    { collaboratorId: 'ana', percentage: 33.33, role: 'artist' },
    { collaboratorId: 'ben', percentage: 33.33 },
    { collaboratorId: 'cy', percentage: 33.34 },
  ],
  writers: [
    { collaboratorId: 'ana', percentage: 50 },
    { collaboratorId: 'dee', percentage: 50 },
  ],
  publishers: [
    {
      collaboratorId: 'pub1',
      percentage: 60,
      subPublishers: [
        { collaboratorId: 'sub1', percentage: 70 },
        { collaboratorId: 'sub2', percentage: 30 },
      ],
      collectionSplits: [
        { collaboratorId: 'pro1', percentage: 50, territory: 'US' },
        { collaboratorId: 'pro1', percentage: 50, territory: 'GB' },
      ],
    },
    { collaboratorId: 'pub2', percentage: 40 },
  ],
});

const codes = (input: SplitSheetInput) => validateSplitSheet(input).map((i) => `${i.path}:${i.code}`);

describe('validateSplitSheet', () => {
  it('accepts a complete, consistent sheet', () => {
    expect(validateSplitSheet(valid())).toEqual([]);
  });

  it('accepts a sheet without publishers, or with an empty publisher list', () => {
    expect(validateSplitSheet({ ...valid(), publishers: undefined })).toEqual([]);
    expect(validateSplitSheet({ ...valid(), publishers: [] })).toEqual([]);
  });

  it('accepts empty sub-publisher and collection lists', () => {
    const s = valid();
    s.publishers![0].subPublishers = [];
    s.publishers![0].collectionSplits = [];
    expect(validateSplitSheet(s)).toEqual([]);
  });

  it('accepts a single owner holding 100', () => {
    expect(validateSplitSheet({ master: [{ collaboratorId: 'a', percentage: 100 }], writers: [{ collaboratorId: 'a', percentage: 100 }] })).toEqual([]);
  });

  it('requires master and writers to have entries', () => {
    expect(validateSplitSheet({ master: [], writers: [] })).toEqual([
      { path: 'master', code: 'empty_list', message: expect.any(String) },
      { path: 'writers', code: 'empty_list', message: expect.any(String) },
    ]);
  });

  it('treats missing master/writers lists as empty at runtime', () => {
    expect(codes({} as SplitSheetInput)).toEqual(['master:empty_list', 'writers:empty_list']);
  });

  it.each(['master', 'writers'] as const)('requires %s to sum to exactly 100', (list) => {
    const s = valid();
    s[list][0].percentage -= 0.01;
    s[list][0].percentage = Number(s[list][0].percentage.toFixed(2));
    const issues = validateSplitSheet(s);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: list, code: 'sum_not_100' });
    expect(issues[0].message).toMatch(/99\.99/);
  });

  it('reports a total above 100', () => {
    const s = valid();
    s.writers.push({ collaboratorId: 'eve', percentage: 0.01 });
    expect(codes(s)).toEqual(['writers:sum_not_100']);
    expect(validateSplitSheet(s)[0].message).toMatch(/100\.01/);
  });

  it('requires top-level publishers to sum to 100', () => {
    const s = valid();
    s.publishers![1].percentage = 39;
    expect(codes(s)).toEqual(['publishers:sum_not_100']);
  });

  it('requires sub-publishers to sum to 100', () => {
    const s = valid();
    s.publishers![0].subPublishers![1].percentage = 29.99;
    expect(codes(s)).toEqual(['publishers[0].subPublishers:sum_not_100']);
  });

  it('requires each collection split list to sum to 100', () => {
    const s = valid();
    s.publishers![0].collectionSplits![0].percentage = 49;
    expect(codes(s)).toEqual(['publishers[0].collectionSplits:sum_not_100']);
  });

  it('applies the same rules to sub-publishers of sub-publishers', () => {
    const s = valid();
    s.publishers![0].subPublishers![0].subPublishers = [
      { collaboratorId: 'x', percentage: 50 },
      { collaboratorId: 'x', percentage: 40 },
    ];
    s.publishers![0].subPublishers![1].collectionSplits = [{ collaboratorId: 'pro2', percentage: 0 }];
    expect(codes(s)).toEqual([
      'publishers[0].subPublishers[0].subPublishers[1].collaboratorId:duplicate_collaborator',
      'publishers[0].subPublishers[0].subPublishers:sum_not_100',
      'publishers[0].subPublishers[1].collectionSplits[0].percentage:non_positive_share',
      'publishers[0].subPublishers[1].collectionSplits:sum_not_100',
    ]);
  });

  it('flags a collaborator listed twice in one list, pointing at the repeat', () => {
    const s = valid();
    s.master = [
      { collaboratorId: 'ana', percentage: 50 },
      { collaboratorId: 'ben', percentage: 25 },
      { collaboratorId: 'ana', percentage: 25 },
    ];
    const issues = validateSplitSheet(s);
    expect(issues).toEqual([
      { path: 'master[2].collaboratorId', code: 'duplicate_collaborator', message: expect.stringContaining('master[0]') },
    ]);
  });

  it('reports every further repeat separately', () => {
    const s = valid();
    s.writers = [1, 2, 3, 4].map(() => ({ collaboratorId: 'ana', percentage: 25 }));
    expect(codes(s)).toEqual([
      'writers[1].collaboratorId:duplicate_collaborator',
      'writers[2].collaboratorId:duplicate_collaborator',
      'writers[3].collaboratorId:duplicate_collaborator',
    ]);
  });

  it('allows the same collaborator in different lists', () => {
    const s = valid();
    s.publishers = [{ collaboratorId: 'ana', percentage: 100 }];
    expect(validateSplitSheet(s)).toEqual([]);
  });

  it('allows a collecting party once per territory but not twice in the same one', () => {
    const s = valid();
    s.publishers![0].collectionSplits = [
      { collaboratorId: 'pro1', percentage: 40, territory: 'US' },
      { collaboratorId: 'pro1', percentage: 30, territory: ' us ' },
      { collaboratorId: 'pro1', percentage: 20 },
      { collaboratorId: 'pro1', percentage: 10 },
    ];
    expect(codes(s)).toEqual([
      'publishers[0].collectionSplits[1].collaboratorId:duplicate_collaborator',
      'publishers[0].collectionSplits[3].collaboratorId:duplicate_collaborator',
    ]);
  });

  it('does not treat duplicates in collection splits as sub-publisher duplicates', () => {
    const s = valid();
    s.publishers![0].subPublishers = [
      { collaboratorId: 'sub1', percentage: 50 },
      { collaboratorId: 'sub1', percentage: 50 },
    ];
    expect(codes(s)).toEqual(['publishers[0].subPublishers[1].collaboratorId:duplicate_collaborator']);
  });

  it('rejects zero and negative shares individually', () => {
    const s = valid();
    s.writers = [
      { collaboratorId: 'ana', percentage: 0 },
      { collaboratorId: 'ben', percentage: 150 },
      { collaboratorId: 'cy', percentage: -50 },
    ];
    // The sum happens to be 100, so only the entries are at fault.
    expect(codes(s)).toEqual(['writers[0].percentage:non_positive_share', 'writers[2].percentage:non_positive_share']);
  });

  it('reports both a negative share and a wrong total when both apply', () => {
    const s = valid();
    s.master = [
      { collaboratorId: 'ana', percentage: 60 },
      { collaboratorId: 'ben', percentage: -10 },
    ];
    expect(codes(s)).toEqual(['master[1].percentage:non_positive_share', 'master:sum_not_100']);
  });

  it('rejects more than two decimals without piling a meaningless sum issue on top', () => {
    const s = valid();
    s.master = [
      { collaboratorId: 'ana', percentage: 33.333 },
      { collaboratorId: 'ben', percentage: 33.333 },
      { collaboratorId: 'cy', percentage: 33.334 },
    ];
    expect(validateSplitSheet(s)).toEqual([
      { path: 'master[0].percentage', code: 'too_many_decimals', message: expect.any(String) },
      { path: 'master[1].percentage', code: 'too_many_decimals', message: expect.any(String) },
      { path: 'master[2].percentage', code: 'too_many_decimals', message: expect.any(String) },
    ]);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, null, undefined, 'fifty', {}])('rejects percentage %s as invalid_share', (bad) => {
    const s = valid();
    (s.writers[1] as { percentage: unknown }).percentage = bad;
    expect(codes(s)).toEqual(['writers[1].percentage:invalid_share']);
  });

  it('reads a numeric string percentage exactly', () => {
    const s = valid();
    (s.writers[1] as { percentage: unknown }).percentage = '50.00';
    expect(validateSplitSheet(s)).toEqual([]);
  });

  it.each(['', '   ', undefined, 42])('rejects collaboratorId %j', (bad) => {
    const s = valid();
    (s.master[1] as { collaboratorId: unknown }).collaboratorId = bad;
    expect(codes(s)).toEqual(['master[1].collaboratorId:missing_collaborator']);
  });

  it('rejects entries that are not objects', () => {
    const s = valid();
    (s.writers as unknown[]).push(null);
    expect(codes(s)).toEqual(['writers[2]:missing_collaborator']);
  });

  it('reports every fault across the sheet in document order', () => {
    const s: SplitSheetInput = {
      master: [],
      writers: [
        { collaboratorId: 'a', percentage: 10.555 },
        { collaboratorId: 'a', percentage: 0 },
      ],
      publishers: [
        { collaboratorId: 'p', percentage: 99, subPublishers: [{ collaboratorId: 's', percentage: 1 }] },
      ],
    };
    expect(codes(s)).toEqual([
      'master:empty_list',
      'writers[0].percentage:too_many_decimals',
      'writers[1].collaboratorId:duplicate_collaborator',
      'writers[1].percentage:non_positive_share',
      'publishers:sum_not_100',
      'publishers[0].subPublishers:sum_not_100',
    ]);
  });

  it('gives every issue a readable message', () => {
    const issues = validateSplitSheet({ master: [], writers: [{ collaboratorId: '', percentage: -1 }] });
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
  });
});

describe('deriveRights', () => {
  const at = '2024-05-01T12:00:00.000Z';

  it('lists every collaborator once, in order of first appearance, with each share', () => {
    const rights = deriveRights(valid(), at);
    expect(rights.entries).toEqual([
      { collaboratorId: 'ana', masterShare: 33.33, writerShare: 50, publisherShare: 0 },
      { collaboratorId: 'ben', masterShare: 33.33, writerShare: 0, publisherShare: 0 },
      { collaboratorId: 'cy', masterShare: 33.34, writerShare: 0, publisherShare: 0 },
      { collaboratorId: 'dee', masterShare: 0, writerShare: 50, publisherShare: 0 },
      { collaboratorId: 'pub1', masterShare: 0, writerShare: 0, publisherShare: 60 },
      { collaboratorId: 'pub2', masterShare: 0, writerShare: 0, publisherShare: 40 },
      { collaboratorId: 'sub1', masterShare: 0, writerShare: 0, publisherShare: 0 },
      { collaboratorId: 'sub2', masterShare: 0, writerShare: 0, publisherShare: 0 },
      { collaboratorId: 'pro1', masterShare: 0, writerShare: 0, publisherShare: 0 },
    ]);
    expect(rights.status).toEqual({ isComplete: true, validationErrors: [], validatedAt: at });
  });

  it('includes collaborators nested several publisher levels deep', () => {
    const s = valid();
    s.publishers![0].subPublishers![0].subPublishers = [{ collaboratorId: 'deep', percentage: 100 }];
    expect(deriveRights(s, at).entries.map((e) => e.collaboratorId)).toContain('deep');
  });

  it('keeps a collaborator’s shares from all lists on one entry', () => {
    const s = valid();
    s.publishers = [{ collaboratorId: 'ana', percentage: 100 }];
    expect(deriveRights(s, at).entries[0]).toEqual({ collaboratorId: 'ana', masterShare: 33.33, writerShare: 50, publisherShare: 100 });
  });

  it('accepts a Date for the validation time', () => {
    expect(deriveRights(valid(), new Date(at)).status.validatedAt).toBe(at);
  });

  it('is incomplete, unstamped and carries the issues when the sheet is invalid', () => {
    const s = valid();
    s.master[0].percentage = 30;
    const rights = deriveRights(s, at);
    expect(rights.status.isComplete).toBe(false);
    expect(rights.status.validatedAt).toBeNull();
    expect(rights.status.validationErrors).toEqual(validateSplitSheet(s));
    expect(rights.entries[0].masterShare).toBe(30);
  });

  it('is incomplete without master or writers entries', () => {
    const rights = deriveRights({ master: [], writers: [{ collaboratorId: 'a', percentage: 100 }] }, at);
    expect(rights.status.isComplete).toBe(false);
    expect(rights.status.validationErrors.map((i) => i.code)).toEqual(['empty_list']);
    expect(rights.entries).toEqual([{ collaboratorId: 'a', masterShare: 0, writerShare: 100, publisherShare: 0 }]);
  });

  it('sums duplicated entries exactly and counts unreadable shares as zero', () => {
    const rights = deriveRights(
      {
        master: [
          { collaboratorId: 'a', percentage: 0.1 },
          { collaboratorId: 'a', percentage: 0.2 },
          { collaboratorId: 'b', percentage: Number.NaN },
        ],
        writers: [{ collaboratorId: 'a', percentage: 100 }],
      },
      at,
    );
    expect(rights.entries).toEqual([
      { collaboratorId: 'a', masterShare: 0.3, writerShare: 100, publisherShare: 0 },
      { collaboratorId: 'b', masterShare: 0, writerShare: 0, publisherShare: 0 },
    ]);
    expect(rights.status.isComplete).toBe(false);
  });

  it('skips entries without a collaborator', () => {
    const rights = deriveRights(
      { master: [{ collaboratorId: ' ', percentage: 100 }], writers: [{ collaboratorId: 'w', percentage: 100 }] },
      at,
    );
    expect(rights.entries.map((e) => e.collaboratorId)).toEqual(['w']);
  });
});
