import type { ErrorRenderer } from '../surface.js';

/** Ledgerline's own routes: `{ error: "<code>", message }`. */
export const renderPlatformError: ErrorRenderer = (err) => ({
  error: err.expose ? err.code : 'internal_error',
  message: err.expose ? err.message : 'Internal server error',
  ...(err.expose && err.issues ? { issues: err.issues } : {}),
});
