import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { fileNameDefaults } from '../catalog/file-title.js';
import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';

const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg', wav: 'audio/wav', flac: 'audio/flac', m4a: 'audio/mp4', aac: 'audio/aac', ogg: 'audio/ogg', opus: 'audio/opus', aif: 'audio/aiff', aiff: 'audio/aiff',
};

async function listAudio(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listAudio(full)));
    else if (AUDIO_TYPES[path.extname(entry.name).slice(1).toLowerCase()]) out.push(full);
  }
  return out.sort();
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Bulk-import a folder of audio files (recursively) as tracks of a tenant, with a progress bar.',
  usage: 'import DIR --tenant NAME [--user NAME] [--process]',
  options: { tenant: { type: 'string' }, user: { type: 'string' }, process: { type: 'boolean' } },
  async run(values, positionals) {
    const dir = positionals[0];
    if (!dir) throw new UsageError('DIR is required');
    if (!values.tenant) throw new UsageError('--tenant is required');
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
    const files = await listAudio(dir);
    const c = await createContainer(loadConfig());
    try {
      const tenant = await c.services.identity.ensureTenant(values.tenant as string);
      const user = await c.services.identity.findOrCreateUser(tenant.id, { name: (values.user as string | undefined) ?? 'admin', role: 'owner' });
      const bar = new cliProgress.SingleBar({ format: 'import [{bar}] {value}/{total} {file}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(files.length, 0, { file: '' });
      const failed: string[] = [];
      for (const file of files) {
        bar.update({ file: path.basename(file) });
        try {
          const size = (await stat(file)).size;
          const intent = await c.services.uploads.createIntent({
            tenantId: tenant.id,
            ownerUserId: user.id,
            kind: 'audio',
            fileName: path.basename(file),
            contentType: AUDIO_TYPES[path.extname(file).slice(1).toLowerCase()],
            byteSize: size,
            // The file name titles the track until the probe reads its tags.
            track: { create: { ...fileNameDefaults(path.basename(file)), ownerUserId: user.id } },
          });
          await c.store.put(intent.asset.storageKey, createReadStream(file), { contentType: intent.asset.contentType, expectedSize: size });
          await c.services.uploads.finalize(tenant.id, intent.upload.id);
        } catch (err) {
          failed.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        bar.increment();
      }
      bar.stop();
      if (values.process) {
        process.stderr.write('Processing in this process...\n');
        await c.startWorkers();
        await c.queue.onIdle({ timeoutMs: 24 * 3600_000 });
      }
      process.stderr.write(`Imported ${files.length - failed.length} of ${files.length} files into tenant "${tenant.name}".${values.process ? '' : ' A running server processes them.'}\n`);
      for (const f of failed) process.stderr.write(`  failed: ${f}\n`);
      return failed.length ? 1 : 0;
    } finally {
      await c.close();
    }
  },
};
