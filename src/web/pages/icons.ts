import { raw } from '../html.js';

/** Inline SVG icons: no icon font or extra request, and they inherit `currentColor`. */
const svg = (className: string, path: string) =>
  raw(
    `<svg class="${className}" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="${path}"/></svg>`,
  );

export const ICON_PLAY = svg('i-play', 'M8 5.14v13.72a1 1 0 0 0 1.52.85l10.6-6.86a1 1 0 0 0 0-1.7L9.52 4.29A1 1 0 0 0 8 5.14z');
export const ICON_PAUSE = svg('i-pause', 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z');
export const ICON_PREVIOUS = svg('i-prev', 'M6 5h2v14H6zm3.5 7L18 18V6z');
export const ICON_NEXT = svg('i-next', 'M16 5h2v14h-2zM6 18l8.5-6L6 6z');
export const ICON_DOWNLOAD = svg('i-download', 'M11 4h2v9.17l3.59-3.58L18 11l-6 6-6-6 1.41-1.41L11 13.17zM5 19h14v2H5z');
export const ICON_NOTE = svg(
  'i-note',
  'M12 3v10.55A4 4 0 1 0 14 17V7h4V3h-6z',
);
export const ICON_LOCK = svg(
  'i-lock',
  'M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 8V7a3 3 0 1 1 6 0v3H9z',
);
export const ICON_UNAVAILABLE = raw(
  '<svg class="i-unavailable" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" fill-rule="evenodd" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm-1 3h2v6h-2zm0 8h2v2h-2z"/></svg>',
);
