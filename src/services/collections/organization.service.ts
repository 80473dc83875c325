import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import { atLeast, type Actor } from '../../domain/access.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { OrganizationSettingsRow } from '../../repositories/collections/organization.repository.js';
import { requireOperation } from './access.js';
import { presentOrganization, type ImageColor, type OrganizationView } from './presenters/organization.presenter.js';

export interface OrganizationPatch {
  name?: string;
  theme?: ImageColor[];
  isThemeOverridable?: boolean;
  isCoverOverridable?: boolean;
  playerColor?: string | null;
  playerSubtitle?: string | null;
}

/** The organization is the caller's tenant; any other id is not found. */
export function createOrganizationService(deps: { core: CoreDeps<never, 'tenants'>; repos: Pick<CollectionsRepositories, 'organizations'> }) {
  const { core, repos } = deps;
  async function load(actor: Actor, id: string) {
    if (id !== actor.tenantId) throw notFound('organization_not_found', 'Organization not found');
    const tenant = await core.repos.tenants.findById(id);
    if (!tenant) throw notFound('organization_not_found', 'Organization not found');
    return tenant;
  }

  async function get(actor: Actor, id: string): Promise<OrganizationView> {
    requireOperation(actor, 'read');
    const tenant = await load(actor, id);
    return presentOrganization(tenant, await repos.organizations.findSettings(id));
  }

  /** The organization's name and look are the tenant's settings: admins and owners change them. */
  async function update(actor: Actor, id: string, patch: OrganizationPatch): Promise<OrganizationView> {
    requireOperation(actor, 'manage');
    if (!atLeast(actor.role, 'admin')) throw forbidden('admin_required', 'Changing the organization requires the admin role');
    const tenant = await load(actor, id);
    const now = nowIso();
    if (patch.name !== undefined && patch.name !== tenant.name) {
      try {
        await core.repos.tenants.update(id, { name: patch.name, updatedAt: now });
      } catch (err) {
        if (uniqueViolation(err)) throw conflict('organization_name_taken', `An organization named "${patch.name}" already exists`);
        throw err;
      }
    }
    const current = await repos.organizations.findSettings(id);
    const next: OrganizationSettingsRow = {
      tenantId: id,
      theme: patch.theme !== undefined ? JSON.stringify(patch.theme) : (current?.theme ?? '[]'),
      isThemeOverridable: patch.isThemeOverridable !== undefined ? Number(patch.isThemeOverridable) : (current?.isThemeOverridable ?? 1),
      isCoverOverridable: patch.isCoverOverridable !== undefined ? Number(patch.isCoverOverridable) : (current?.isCoverOverridable ?? 1),
      playerColor: patch.playerColor !== undefined ? patch.playerColor : (current?.playerColor ?? null),
      playerSubtitle: patch.playerSubtitle !== undefined ? patch.playerSubtitle : (current?.playerSubtitle ?? null),
      updatedAt: now,
    };
    await repos.organizations.upsertSettings(next);
    return presentOrganization((await core.repos.tenants.findById(id))!, next);
  }

  return { get, update };
}
export type OrganizationService = ReturnType<typeof createOrganizationService>;
