import type { ErrorRenderer } from '../surface.js';

/** Royalti: `{ status: "error", message }`. */
export const renderDistributionError: ErrorRenderer = (err) => ({
  status: 'error',
  message: err.expose ? err.message : 'Internal server error',
});

export const success = <T>(message: string, data: T) => ({ success: true as const, message, data });
