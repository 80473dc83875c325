import type { ErrorRenderer } from '../surface.js';

/**
 * Swayzio: `{ error: "<code>" }` plus `issues` on 400/422 and the entitlement fields on 403.
 * Deliberate 5xx answers (501 not configured, 503 unavailable) keep their code; anything that
 * failed unexpectedly is `internal_error`, and no 5xx carries a message or details.
 */
export const renderWorkspaceError: ErrorRenderer = (err) => {
  if (!err.expose) return { error: err.status === 500 ? 'internal_error' : err.code };
  return {
    error: err.code,
    ...(err.issues ? { issues: err.issues } : {}),
    ...(err.details ?? {}),
  };
};
