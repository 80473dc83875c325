import type { TenantRow } from '../../../repositories/tenant.repository.js';
import type { CollectionRow } from '../../../repositories/collections/collection.repository.js';
import type { CreatorRow } from '../../../repositories/collections/creator.repository.js';
import type { OrganizationSettingsRow } from '../../../repositories/collections/organization.repository.js';
import { bool, colorTrio, jsonArray, jsonObject, type ColorTrio } from './colors.js';

export interface ImageColor {
  hex: string;
  area?: number;
  lightness?: number;
  saturation?: number;
}

export interface OrganizationView extends ColorTrio {
  id: string;
  name: string;
  theme: ImageColor[];
  is_theme_overridable: boolean;
  is_cover_overridable: boolean;
  player_subtitle: string | null;
  webhook_url: string | null;
  created_at: string;
  updated_at: string;
}

export function presentOrganization(tenant: TenantRow, settings: OrganizationSettingsRow | undefined): OrganizationView {
  return {
    id: tenant.id,
    name: tenant.name,
    theme: jsonArray<ImageColor>(settings?.theme),
    is_theme_overridable: bool(settings?.isThemeOverridable),
    is_cover_overridable: bool(settings?.isCoverOverridable),
    ...colorTrio(settings?.playerColor),
    player_subtitle: settings?.playerSubtitle ?? null,
    webhook_url: tenant.webhookUrl,
    created_at: tenant.createdAt,
    updated_at: settings && settings.updatedAt > tenant.updatedAt ? settings.updatedAt : tenant.updatedAt,
  };
}

export interface CreatorView {
  id: string;
  organization_id: string;
  folder_id: string;
  organization_index: string;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export const presentCreator = (c: CreatorRow): CreatorView => ({
  id: c.id,
  organization_id: c.tenantId,
  folder_id: c.folderId,
  organization_index: c.organizationIndex,
  metadata: jsonObject(c.metadata),
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export interface CollectionView extends ColorTrio {
  id: string;
  organization_id: string;
  creator_id: string | null;
  organization_index: string | null;
  title: string;
  metadata: Record<string, unknown>;
  theme: ImageColor[];
  is_cover_overridable: boolean;
  is_theme_overridable: boolean;
  player_subtitle: string | null;
  cover_image: string | null;
  created_at: string;
  updated_at: string;
}

export const presentCollection = (c: CollectionRow, coverUrl: string | null): CollectionView => ({
  id: c.id,
  organization_id: c.tenantId,
  creator_id: c.creatorId,
  organization_index: c.organizationIndex,
  title: c.title,
  metadata: jsonObject(c.metadata),
  theme: jsonArray<ImageColor>(c.theme),
  is_cover_overridable: bool(c.isCoverOverridable),
  is_theme_overridable: bool(c.isThemeOverridable),
  ...colorTrio(c.playerColor),
  player_subtitle: c.playerSubtitle,
  cover_image: coverUrl,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});
