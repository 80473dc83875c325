/**
 * `embed.js`: lets other sites write
 *   <ledgerline-player src="https://music.example.com/embed/track/ID?key=…"></ledgerline-player>
 * and get a full-width iframe of the player. Loaded on third-party pages, so it stays
 * tiny, touches nothing outside its own element, and only frames Ledgerline embed URLs.
 */
const DEFAULT_HEIGHT: Record<string, number> = { track: 152, collection: 400 };
const EMBED_PATH = /\/embed\/(track|collection)\/[^/]+$/;

function embedUrl(src: string | null): { url: URL; kind: string } | null {
  if (!src) return null;
  try {
    const url = new URL(src, document.baseURI);
    const match = EMBED_PATH.exec(url.pathname);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !match) return null;
    return { url, kind: match[1] };
  } catch {
    return null;
  }
}

class LedgerlinePlayer extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['src', 'height', 'title'];
  }

  private frame: HTMLIFrameElement | null = null;

  connectedCallback(): void {
    this.render();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.render();
  }

  private render(): void {
    const target = embedUrl(this.getAttribute('src'));
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    if (!target) {
      root.replaceChildren();
      this.frame = null;
      console.warn('<ledgerline-player> needs a src like https://host/embed/track/ID');
      return;
    }
    // Styles go through the CSSOM rather than a <style> tag so a strict host CSP
    // (style-src without 'unsafe-inline') still lets the player lay out.
    this.style.display = 'block';
    this.style.width = '100%';
    const frame = this.frame ?? document.createElement('iframe');
    const height = Number(this.getAttribute('height')) || DEFAULT_HEIGHT[target.kind];
    frame.title = this.getAttribute('title') || 'Ledgerline player';
    frame.loading = 'lazy';
    frame.allow = 'autoplay; encrypted-media';
    frame.referrerPolicy = 'strict-origin-when-cross-origin';
    frame.style.display = 'block';
    frame.style.width = '100%';
    frame.style.height = `${height}px`;
    frame.style.border = '0';
    frame.style.borderRadius = '12px';
    if (frame.src !== target.url.href) frame.src = target.url.href;
    if (!this.frame) root.append(frame);
    this.frame = frame;
  }
}

if (!customElements.get('ledgerline-player')) customElements.define('ledgerline-player', LedgerlinePlayer);
