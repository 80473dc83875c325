import type { Container } from './container.js';
import { AppError } from './errors.js';

/**
 * First start: a `default` tenant with an owner, so a fresh install is usable at once. Processes
 * started together on an empty database all try; the tenant name is unique, so one creates it
 * and the others find it.
 */
export async function ensureDefaultTenant(c: Container): Promise<{ created: boolean; tenantName: string }> {
  const existing = await c.repos.tenants.list();
  if (existing.length > 0) return { created: false, tenantName: existing[0].name };
  try {
    const tenant = await c.services.identity.createTenant({ name: 'default', plan: 'label' });
    await c.services.identity.findOrCreateUser(tenant.id, { name: 'admin', role: 'owner' });
    return { created: true, tenantName: tenant.name };
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'tenant_exists')) throw err;
    const tenant = (await c.repos.tenants.findByName('default'))!;
    await c.services.identity.findOrCreateUser(tenant.id, { name: 'admin', role: 'owner' });
    return { created: false, tenantName: tenant.name };
  }
}
