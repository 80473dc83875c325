import type { ErrorRenderer } from '../surface.js';

/** Swayzio: `{ error: "<code>" }` plus `issues` on 400/422 and the entitlement fields on 403. */
export const renderWorkspaceError: ErrorRenderer = (err) => {
  if (!err.expose) return { error: 'internal_error' };
  return {
    error: err.code,
    ...(err.issues ? { issues: err.issues } : {}),
    ...(err.details ?? {}),
  };
};
