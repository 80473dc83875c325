import { escapeHtml, joinUrl } from './html.js';

/**
 * Copy-paste HTML for putting a player on another site: a plain `<iframe>`, or the
 * `<ledgerline-player>` element from `embed.js` (served under a stable name).
 */
export interface EmbedSnippetInput {
  /** Absolute base URL of the server, e.g. `https://music.example.com`. */
  publicUrl: string;
  kind: 'track' | 'collection';
  id: string;
  /** Embed key; omitted from the URL when null/empty. */
  key?: string | null;
  /** Accessible name for the frame. */
  title?: string;
}

export const EMBED_HEIGHTS = { track: 152, collection: 400 } as const;

export function embedUrl({ publicUrl, kind, id, key }: EmbedSnippetInput): string {
  const url = joinUrl(publicUrl, `/embed/${kind}/${encodeURIComponent(id)}`);
  return key ? `${url}?key=${encodeURIComponent(key)}` : url;
}

export function embedSnippet(input: EmbedSnippetInput): string {
  const src = escapeHtml(embedUrl(input));
  const title = escapeHtml(input.title ?? 'Ledgerline player');
  return `<iframe src="${src}" title="${title}" width="100%" height="${EMBED_HEIGHTS[input.kind]}" style="border:0;border-radius:12px;max-width:100%" loading="lazy" allow="autoplay; encrypted-media" referrerpolicy="strict-origin-when-cross-origin"></iframe>`;
}

export function embedElementSnippet(input: EmbedSnippetInput): string {
  const script = escapeHtml(joinUrl(input.publicUrl, '/assets/web/embed.js'));
  const src = escapeHtml(embedUrl(input));
  const title = input.title ? ` title="${escapeHtml(input.title)}"` : '';
  return `<script src="${script}" async></script>\n<ledgerline-player src="${src}"${title}></ledgerline-player>`;
}
