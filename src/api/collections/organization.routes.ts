import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { actorOf } from '../surface.js';
import { ok } from './envelope.js';
import { hexColor, label, theme } from './schemas.js';

const tags = ['collections'];
const params = z.object({ organization_id: z.uuid() });

export function registerOrganizationRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/organization/:organization_id', { schema: { tags, summary: 'Get organization', params } }, async (request) => {
    const organization = await m.organizations.get(actorOf(request), request.params.organization_id);
    return ok(request, { organization_id: organization.id, organization });
  });

  app.put(
    '/organization/:organization_id',
    {
      schema: {
        tags,
        summary: 'Update organization',
        params,
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          theme: theme.optional(),
          is_theme_overridable: z.boolean().optional(),
          is_cover_overridable: z.boolean().optional(),
          player_color: hexColor.nullable().optional(),
          player_subtitle: label.nullable().optional(),
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const organization = await m.organizations.update(actorOf(request), request.params.organization_id, {
        name: b.name,
        theme: b.theme,
        isThemeOverridable: b.is_theme_overridable,
        isCoverOverridable: b.is_cover_overridable,
        playerColor: b.player_color,
        playerSubtitle: b.player_subtitle,
      });
      return ok(request, { organization_id: organization.id, organization });
    },
  );
}
