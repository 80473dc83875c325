import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import type { Actor } from '../domain/access.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';

/** The operator, acting as the tenant's owner. */
const operator = (tenant: { id: string; name: string; plan: string }): Actor => ({
  tenantId: tenant.id, tenantName: tenant.name, plan: tenant.plan, userId: null, role: 'owner', entitlements: new Set(), via: 'jwt',
});

export const deliveryProviderCommand: Command = {
  name: 'delivery-provider',
  summary: "Add, list or remove a tenant's DDEX delivery providers (sftp, s3 or folder). --config is JSON; --private-key-file reads an SFTP key.",
  usage:
    'delivery-provider add --tenant NAME --name NAME --kind sftp|s3|folder --config JSON --recipient-id PADPIDA... --recipient-name NAME [--private-key-file PATH]\n' +
    '       delivery-provider list --tenant NAME\n       delivery-provider remove --tenant NAME --name NAME',
  options: {
    tenant: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, config: { type: 'string' },
    'recipient-id': { type: 'string' }, 'recipient-name': { type: 'string' }, 'private-key-file': { type: 'string' },
  },
  async run(values, positionals) {
    const sub = positionals[0];
    if (!['add', 'list', 'remove'].includes(sub ?? '')) throw new UsageError('expected: delivery-provider add|list|remove --tenant NAME');
    if (!values.tenant) throw new UsageError('--tenant is required');
    let config: Record<string, unknown> = {};
    if (sub === 'add') {
      if (!values.name || !values.kind || !values['recipient-id'] || !values['recipient-name']) throw new UsageError('add needs --name, --kind, --recipient-id and --recipient-name');
      try {
        config = values.config ? (JSON.parse(values.config as string) as Record<string, unknown>) : {};
      } catch {
        throw new UsageError('--config must be JSON');
      }
      if (values['private-key-file']) config.privateKey = readFileSync(values['private-key-file'] as string, 'utf8');
    }
    const c = await createContainer(loadConfig());
    try {
      const tenant = await c.services.identity.requireTenantByName(values.tenant as string);
      const actor = operator(tenant);
      const { deliveries } = c.modules.distribution;
      if (sub === 'list') {
        for (const p of await deliveries.listProviders(actor)) process.stdout.write(`${p.id}\t${p.name}\t${p.kind}\t${p.recipient.partyId}\t${JSON.stringify(p.config)}\n`);
      } else if (sub === 'remove') {
        if (!values.name) throw new UsageError('remove needs --name');
        await deliveries.removeProvider(actor, values.name as string);
        process.stderr.write(`Removed delivery provider ${values.name}.\n`);
      } else {
        const p = await deliveries.createProvider(actor, {
          name: values.name, kind: values.kind, config, recipient: { partyId: values['recipient-id'], name: values['recipient-name'] },
        });
        process.stdout.write(`${p.id}\n`);
        process.stderr.write(`Added ${p.kind} delivery provider "${p.name}".\n`);
      }
      return 0;
    } finally {
      await c.close();
    }
  },
};
