import type { Container } from './container.js';

/** First start: a `default` tenant with an owner, so a fresh install is usable at once. */
export async function ensureDefaultTenant(c: Container): Promise<{ created: boolean; tenantName: string }> {
  const existing = await c.repos.tenants.list();
  if (existing.length > 0) return { created: false, tenantName: existing[0].name };
  const tenant = await c.services.identity.createTenant({ name: 'default', plan: 'label' });
  await c.services.identity.findOrCreateUser(tenant.id, { name: 'admin', role: 'owner' });
  return { created: true, tenantName: tenant.name };
}
