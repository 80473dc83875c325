/**
 * The one error type services throw. `code` is stable and machine-readable; each HTTP
 * surface renders it into its own envelope. `expose: false` (the default for 5xx) keeps
 * the message out of responses.
 */
export interface AppErrorOptions {
  details?: Record<string, unknown>;
  issues?: Array<{ path: string; message: string }>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;
  readonly issues?: Array<{ path: string; message: string }>;

  constructor(status: number, code: string, message?: string, options: AppErrorOptions = {}) {
    super(message ?? code, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.issues = options.issues;
  }

  get expose(): boolean {
    return this.status < 500;
  }
}

export const badRequest = (code: string, message?: string, options?: AppErrorOptions) =>
  new AppError(400, code, message, options);
export const unauthorized = (message = 'Unauthorized') => new AppError(401, 'unauthorized', message);
export const forbidden = (code = 'forbidden', message = 'Forbidden', options?: AppErrorOptions) =>
  new AppError(403, code, message, options);
export const notFound = (code: string, message?: string) => new AppError(404, code, message ?? code.replace(/_/g, ' '));
export const conflict = (code: string, message?: string, options?: AppErrorOptions) =>
  new AppError(409, code, message, options);
export const unprocessable = (code: string, message?: string, options?: AppErrorOptions) =>
  new AppError(422, code, message, options);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
