import { create } from 'xmlbuilder2';

/**
 * The last file of a batch (DDEX Release-by-Release and Batch profile): its presence tells the
 * receiver every message of the batch is complete.
 */
export function batchCompleteXml(batchId: string, messages: Array<{ path: string; messageId: string; upc: string }>, createdAt: string): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('BatchComplete');
  root.ele('BatchId').txt(batchId);
  root.ele('CreatedDateTime').txt(createdAt);
  root.ele('NumberOfMessages').txt(String(messages.length));
  for (const m of messages) {
    const e = root.ele('Message');
    e.ele('URL').txt(m.path);
    e.ele('MessageId').txt(m.messageId);
    e.ele('ICPN').txt(m.upc);
  }
  return root.end({ prettyPrint: true });
}

/** A batch id from its creation time: 20261207061530123 (UTC, milliseconds). */
export const batchIdAt = (d: Date) => d.toISOString().replace(/[-:TZ.]/g, '');
