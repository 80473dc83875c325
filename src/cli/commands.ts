import { loadConfig } from '../config.js';
import { createContainer, type Container } from '../container.js';
import { API_KEY_TYPES, ROLES, type ApiKeyType, type Role } from '../domain/access.js';
import { parseDuration } from '../api/platform/admin.routes.js';
import { UsageError, type Command } from './args.js';
import { importCommand } from './import.command.js';
import { deliveryProviderCommand } from './delivery-provider.command.js';

async function withContainer<T>(fn: (c: Container) => Promise<T>): Promise<T> {
  const c = await createContainer(loadConfig());
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export const commands: Command[] = [
  {
    name: 'migrate',
    summary: 'Apply every pending database migration.',
    usage: 'migrate',
    options: {},
    async run() {
      await withContainer(async (c) => process.stderr.write(`Migrations applied (${c.database.describe}).\n`));
      return 0;
    },
  },
  {
    name: 'tenant',
    summary: 'Create a tenant.',
    usage: 'tenant create NAME [--plan free|pro|label] [--entitlement E ...]',
    options: { plan: { type: 'string' }, entitlement: { type: 'string', multiple: true } },
    async run(values, positionals) {
      const [sub, name] = positionals;
      if (sub !== 'create' || !name) throw new UsageError('expected: tenant create NAME');
      return withContainer(async (c) => {
        const t = await c.services.identity.createTenant({ name, plan: values.plan as string | undefined, entitlements: list(values.entitlement) });
        process.stdout.write(`${t.id}\n`);
        process.stderr.write(`Created tenant "${t.name}" on plan ${t.plan}.\n`);
        return 0;
      });
    },
  },
  {
    name: 'token',
    summary: 'Create a JWT for a user (tenant and user are created when missing; --role and --entitlement are operator changes to the user). Prints the token alone on stdout.',
    usage: 'token create --tenant NAME --user NAME [--role owner|admin|member|guest] [--entitlement E ...] [--ttl 1h]',
    options: {
      tenant: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string' },
      entitlement: { type: 'string', multiple: true },
      ttl: { type: 'string' },
    },
    async run(values, positionals) {
      if (positionals[0] !== 'create') throw new UsageError('expected: token create --tenant NAME --user NAME');
      if (!values.tenant || !values.user) throw new UsageError('--tenant and --user are required');
      const role = oneOf<Role>(values.role, ROLES, 'role');
      const ttl = values.ttl as string | undefined;
      if (ttl && !/^\d+[smhd]$/.test(ttl)) throw new UsageError('--ttl must look like 30m, 12h or 7d');
      return withContainer(async (c) => {
        const tenant = await c.services.identity.ensureTenant(values.tenant as string);
        const { identity } = c.services;
        let user = await identity.findOrCreateUser(tenant.id, { name: values.user as string, role });
        if (role && user.role !== role) user = await identity.setUserRole(tenant.id, user.id, role);
        const entitlements = list(values.entitlement);
        if (entitlements.length) await identity.grantEntitlements({ tenantId: tenant.id, userId: user.id }, entitlements);
        const token = await c.services.identity.issueToken(user, { ttlSeconds: ttl ? parseDuration(ttl) : undefined });
        process.stdout.write(`${token}\n`);
        return 0;
      });
    },
  },
  {
    name: 'api-key',
    summary: 'Create an API key. The key is printed once; only its hash is stored.',
    usage: 'api-key create --tenant NAME [--type server|player|uploader|share] [--collection ID] [--track ID] [--name TEXT]',
    options: { tenant: { type: 'string' }, type: { type: 'string' }, collection: { type: 'string' }, track: { type: 'string' }, name: { type: 'string' } },
    async run(values, positionals) {
      if (positionals[0] !== 'create') throw new UsageError('expected: api-key create --tenant NAME');
      if (!values.tenant) throw new UsageError('--tenant is required');
      const type = oneOf<ApiKeyType>(values.type, API_KEY_TYPES, 'type') ?? 'server';
      return withContainer(async (c) => {
        const tenant = await c.services.identity.requireTenantByName(values.tenant as string);
        const { key } = await c.services.identity.createApiKey({
          tenantId: tenant.id,
          type,
          name: values.name as string | undefined,
          collectionId: values.collection as string | undefined,
          trackId: values.track as string | undefined,
        });
        process.stdout.write(`${key}\n`);
        return 0;
      });
    },
  },
  {
    name: 'grant',
    summary: "Grant entitlements beyond the plan, to a tenant or one of its users. Only the operator can: no API grants them.",
    usage: 'grant --tenant NAME [--user NAME] --entitlement E [--entitlement E ...]',
    options: { tenant: { type: 'string' }, user: { type: 'string' }, entitlement: { type: 'string', multiple: true } },
    async run(values) {
      const entitlements = list(values.entitlement);
      if (!values.tenant || !entitlements.length) throw new UsageError('--tenant and at least one --entitlement are required');
      return withContainer(async (c) => {
        const { identity } = c.services;
        const tenant = await identity.requireTenantByName(values.tenant as string);
        const user = values.user ? await c.repos.tenants.findUserByName(tenant.id, values.user as string) : undefined;
        if (values.user && !user) throw new UsageError(`no user "${values.user}" in tenant "${tenant.name}"`);
        const now = await identity.grantEntitlements({ tenantId: tenant.id, userId: user?.id }, entitlements);
        process.stderr.write(`${user ? `User "${user.name}"` : `Tenant "${tenant.name}"`} now holds: ${now.join(', ')}\n`);
        return 0;
      });
    },
  },
  importCommand,
  deliveryProviderCommand,
];
