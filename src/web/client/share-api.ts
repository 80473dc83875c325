import type { PeaksData } from './peaks.js';

/**
 * Calls the share link's JSON endpoints. A gated link's access code is kept in
 * sessionStorage (per token, cleared with the tab) and sent as `x-access-code` on every
 * call so reloading the page does not ask again.
 */
export interface ShareEndpoints {
  card: string;
  playbackUrl: string;
  downloadUrl: string;
  events: string;
}

export interface ShareCard {
  track: { title: string; artist: string; durationMs: number | null; artworkUrl: string | null };
  peaks: PeaksData | null;
  link: { allowDownload: boolean };
}

export class ShareApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
  ) {
    super(code ?? `HTTP ${status}`);
  }
}

export class ShareApi {
  private code: string | null;

  constructor(
    private readonly endpoints: ShareEndpoints,
    private readonly token: string,
  ) {
    this.code = this.readStoredCode();
  }

  get storedCode(): string | null {
    return this.code;
  }

  /** Checks a code by fetching the card; remembers it only when the server accepts it. */
  async unlock(code: string): Promise<ShareCard> {
    const card = await this.getJson<ShareCard>(this.endpoints.card, code);
    this.code = code;
    this.storeCode(code);
    return card;
  }

  forgetCode(): void {
    this.code = null;
    this.storeCode(null);
  }

  playback(): Promise<{ url: string; expiresAt?: string; mimeType?: string }> {
    return this.getJson(this.endpoints.playbackUrl, this.code);
  }

  download(): Promise<{ url: string }> {
    return this.getJson(this.endpoints.downloadUrl, this.code);
  }

  sendPlayEvent(): void {
    // keepalive lets the beacon finish even if the listener navigates away right after.
    void fetch(this.endpoints.events, {
      method: 'POST',
      headers: { ...this.headers(this.code), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'play' }),
      keepalive: true,
      credentials: 'same-origin',
    }).catch(() => undefined);
  }

  private headers(code: string | null): Record<string, string> {
    return code ? { 'x-access-code': code, accept: 'application/json' } : { accept: 'application/json' };
  }

  private async getJson<T>(url: string, code: string | null): Promise<T> {
    const res = await fetch(url, { headers: this.headers(code), credentials: 'same-origin' });
    if (!res.ok) {
      let errorCode: string | null = null;
      try {
        errorCode = ((await res.json()) as { error?: string }).error ?? null;
      } catch {
        // Non-JSON error bodies still carry the status.
      }
      throw new ShareApiError(res.status, errorCode);
    }
    return (await res.json()) as T;
  }

  private storageKey(): string {
    return `ledgerline:access-code:${this.token}`;
  }

  private readStoredCode(): string | null {
    try {
      return sessionStorage.getItem(this.storageKey());
    } catch {
      return null; // storage disabled: the code is simply asked for again
    }
  }

  private storeCode(code: string | null): void {
    try {
      if (code === null) sessionStorage.removeItem(this.storageKey());
      else sessionStorage.setItem(this.storageKey(), code);
    } catch {
      // storage disabled or full; the in-memory code still works for this page
    }
  }
}
