import { z } from 'zod';

const dpid = z.string().regex(/^PADPIDA[a-zA-Z0-9]+$/, 'must be a DDEX Party Id (PADPIDA...)');

export const folderConfig = z.object({
  /** Relative to the installation's delivery root (DATA_DIR/deliveries/<tenant>), never outside it. */
  path: z.string().min(1).max(500).regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).*$/, 'must be a relative path without ..'),
});
export const s3Config = z.object({
  bucket: z.string().min(3).max(63),
  prefix: z.string().max(500).optional(),
  region: z.string().max(50).optional(),
  endpoint: z.url().max(500).optional(),
  forcePathStyle: z.boolean().optional(),
  accessKeyId: z.string().max(200).optional(),
  secretAccessKey: z.string().max(200).optional(),
});
export const sftpConfig = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().min(1).max(100),
  privateKey: z.string().max(20_000).optional(),
  password: z.string().max(500).optional(),
  path: z.string().max(500).optional(),
}).refine((c) => c.privateKey || c.password, { message: 'needs a privateKey or a password', path: ['privateKey'] });

const recipient = z.object({ partyId: dpid, name: z.string().min(1).max(200) });
const base = { name: z.string().trim().min(1).max(100), recipient };

export const providerInput = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('folder'), config: folderConfig }),
  z.object({ ...base, kind: z.literal('s3'), config: s3Config }),
  z.object({ ...base, kind: z.literal('sftp'), config: sftpConfig }),
]);
export type ProviderInput = z.infer<typeof providerInput>;

/** Config fields never shown back to a client. */
export const SECRET_FIELDS = ['privateKey', 'password', 'secretAccessKey'] as const;
