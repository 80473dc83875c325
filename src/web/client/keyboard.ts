/**
 * Page-wide media keys: space toggles playback, left/right skip 5 seconds. Keys typed
 * into form fields, and space on buttons or links (which activates them natively), are
 * left alone so the shortcuts never fight normal interaction.
 */
export interface MediaKeyTarget {
  toggle(): void;
  skip(deltaSeconds: number): void;
}

export const SKIP_SECONDS = 5;

function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  return el.matches('input, textarea, select');
}

export function installMediaKeys(target: MediaKeyTarget): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const el = event.target instanceof Element ? event.target : null;
    if (isTextEntry(el)) return;
    if (event.key === ' ' || event.key === 'Spacebar') {
      if (el?.closest('button, a, summary, [role="button"]')) return;
      event.preventDefault();
      target.toggle();
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      target.skip(-SKIP_SECONDS);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      target.skip(SKIP_SECONDS);
    }
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
