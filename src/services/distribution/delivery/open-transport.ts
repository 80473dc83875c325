import path from 'node:path';
import type { DeliveryProviderRow } from '../../../repositories/distribution/delivery.repository.js';
import { parseJson } from '../../../db/time.js';
import { folderTransport } from './folder-transport.js';
import { s3Transport, type S3DeliveryConfig } from './s3-transport.js';
import { sftpTransport, type SftpDeliveryConfig } from './sftp-transport.js';
import type { DeliveryTransport } from './transport.js';
import { checkDestination, checkHost, type OutboundPolicy } from '../../../net/outbound-guard.js';

/** Where a tenant's folder providers write: their own directory under the data folder. */
export const deliveryRoot = (dataDir: string, tenantId: string) => path.join(dataDir, 'deliveries', tenantId);

/**
 * Connects to a provider. A remote one must be on a public address unless the operator allows
 * private ones (`DELIVERY_ALLOW_PRIVATE`): a tenant admin names the host, and it must not be a
 * way into the server's own network. The SFTP connection goes to the address that was checked.
 */
export async function openTransport(provider: DeliveryProviderRow, dataDir: string, policy: OutboundPolicy): Promise<DeliveryTransport> {
  const config = parseJson<Record<string, unknown>>(provider.config, {});
  if (provider.kind === 'folder') return folderTransport({ path: path.join(deliveryRoot(dataDir, provider.tenantId), String(config.path ?? '.')) });
  if (provider.kind === 's3') {
    await checkProvider(provider.kind, config, policy);
    return s3Transport(config as unknown as S3DeliveryConfig);
  }
  const sftp = config as unknown as SftpDeliveryConfig;
  const address = await checkHost(sftp.host, policy);
  return sftpTransport({ ...sftp, host: address.address });
}

/** Refuses a remote provider whose host or endpoint is not public (unless allowed); throws OutboundRefused. */
export async function checkProvider(kind: string, config: Record<string, unknown>, policy: OutboundPolicy): Promise<void> {
  if (kind === 'sftp') await checkHost(String(config.host ?? ''), policy);
  // Without an endpoint the SDK talks to AWS itself. With one, it resolves the name again when
  // it connects, so a name that changes its answer afterwards is not caught here.
  if (kind === 's3' && typeof config.endpoint === 'string') await checkDestination(config.endpoint, policy);
}
