import path from 'node:path';
import type { DeliveryProviderRow } from '../../../repositories/distribution/delivery.repository.js';
import { parseJson } from '../../../db/time.js';
import { folderTransport } from './folder-transport.js';
import { s3Transport, type S3DeliveryConfig } from './s3-transport.js';
import { sftpTransport, type SftpDeliveryConfig } from './sftp-transport.js';
import type { DeliveryTransport } from './transport.js';

/** Where a tenant's folder providers write: their own directory under the data folder. */
export const deliveryRoot = (dataDir: string, tenantId: string) => path.join(dataDir, 'deliveries', tenantId);

export async function openTransport(provider: DeliveryProviderRow, dataDir: string): Promise<DeliveryTransport> {
  const config = parseJson<Record<string, unknown>>(provider.config, {});
  if (provider.kind === 'folder') return folderTransport({ path: path.join(deliveryRoot(dataDir, provider.tenantId), String(config.path ?? '.')) });
  if (provider.kind === 's3') return s3Transport(config as unknown as S3DeliveryConfig);
  return sftpTransport(config as unknown as SftpDeliveryConfig);
}
