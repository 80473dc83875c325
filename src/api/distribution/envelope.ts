import type { ErrorRenderer } from '../surface.js';

/** A validation issue as "field message", the field without its request part ("body.title" -> "title"). */
function describeIssues(issues: Array<{ path: string; message: string }>): string {
  return issues
    .map(({ path, message }) => {
      const field = path.replace(/^(body|querystring|params|headers)\.?/, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]') || 'body';
      return /^[a-z]/.test(message) ? `${field} ${message}` : `${field}: ${message}`;
    })
    .join('; ');
}

const fromSchema = (code: string, issues?: Array<{ path: string }>) =>
  code === 'validation_error' && !!issues?.length && issues.every((i) => /^(body|querystring|params|headers)(\.|$)/.test(i.path));

/**
 * Royalti: `{ status: "error", message }`. A refusal that lists what is missing (a product or
 * release not ready for delivery) adds its stable `code` and the `issues`, each with a code.
 */
export const renderDistributionError: ErrorRenderer = (err) => ({
  status: 'error',
  message: !err.expose ? 'Internal server error' : fromSchema(err.code, err.issues) ? describeIssues(err.issues!) : err.message,
  ...(err.expose && Array.isArray(err.details?.readiness) ? { code: err.code, issues: err.details.readiness } : {}),
});

export const success = <T>(message: string, data: T) => ({ success: true as const, message, data });

/** A success answer, with non-blocking remarks about accepted values when there are any. */
export const successWith = <T>(message: string, data: T, warnings: Array<{ field: string; message: string }>) =>
  warnings.length ? { ...success(message, data), warnings } : success(message, data);
