import { randomUUID } from 'node:crypto';
import path from 'node:path/posix';
import SftpClient from 'ssh2-sftp-client';
import type { DeliveryTransport } from './transport.js';
import { joinRemote } from './transport.js';

export interface SftpDeliveryConfig {
  host: string;
  port?: number;
  username: string;
  privateKey?: string;
  password?: string;
  /** The remote directory batches are written under. */
  path?: string;
}

/** An SFTP server: one connection per batch; each file is uploaded under a temporary name and renamed. */
export async function sftpTransport(config: SftpDeliveryConfig): Promise<DeliveryTransport> {
  const sftp = new SftpClient();
  await sftp.connect({
    host: config.host, port: config.port ?? 22, username: config.username, readyTimeout: 15_000,
    ...(config.privateKey ? { privateKey: config.privateKey } : {}), ...(config.password ? { password: config.password } : {}),
  });
  const made = new Set<string>();
  const remote = (rel: string) => joinRemote(config.path ?? '.', rel);
  return {
    async put(rel, source, _size) {
      const full = remote(rel);
      const dir = path.dirname(full);
      if (!made.has(dir)) {
        if (!(await sftp.exists(dir))) await sftp.mkdir(dir, true);
        made.add(dir);
      }
      const temp = `${full}.${randomUUID()}.part`;
      // A local file goes up with parallel requests in flight (a plain stream waits for each write's ack).
      if (Buffer.isBuffer(source)) await sftp.put(source, temp);
      else await sftp.fastPut(source.path, temp, { concurrency: 64, chunkSize: 256 * 1024 });
      if (await sftp.exists(full)) await sftp.delete(full);
      await sftp.rename(temp, full);
    },
    async size(rel) {
      const full = remote(rel);
      if ((await sftp.exists(full)) !== '-') return null;
      return (await sftp.stat(full)).size;
    },
    async close() {
      await sftp.end().catch(() => undefined);
    },
  };
}
