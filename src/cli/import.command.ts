import type { Command } from './args.js';
import { UsageError } from './args.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'Bulk-import a folder of audio files as tracks of a tenant, with a progress bar.',
  usage: 'import DIR --tenant NAME [--user NAME] [--collection ID]',
  options: { tenant: { type: 'string' }, user: { type: 'string' }, collection: { type: 'string' } },
  async run() {
    throw new UsageError('import needs the media pipeline, which this build does not include');
  },
};
