import { AppError } from '../errors.js';

export type MediaErrorCode =
  | 'ffmpeg_not_found'
  | 'ffmpeg_failed'
  | 'ffmpeg_timeout'
  | 'ffmpeg_aborted'
  | 'not_audio'
  | 'unsupported_container'
  | 'not_image';

// Bad input is the uploader's fault (422); everything else is ours and stays unexposed.
const STATUS: Record<MediaErrorCode, number> = {
  ffmpeg_not_found: 500,
  ffmpeg_failed: 500,
  ffmpeg_timeout: 500,
  ffmpeg_aborted: 500,
  not_audio: 422,
  unsupported_container: 422,
  not_image: 422,
};

export class MediaError extends AppError {
  declare readonly code: MediaErrorCode;
  /** Tail of the tool's stderr, when a child process was involved: for logs, not for clients. */
  readonly stderr?: string;

  constructor(code: MediaErrorCode, message: string, options: { stderr?: string; cause?: unknown } = {}) {
    // stderr stays off `details`: surfaces render details, and ffmpeg's output names server paths.
    super(STATUS[code], code, message, { cause: options.cause });
    this.name = 'MediaError';
    this.stderr = options.stderr;
  }
}

/** The input itself is at fault (not audio, not an accepted container): no retry can fix it. */
export const isBadMediaInput = (err: unknown): err is MediaError => isMediaError(err, 'not_audio') || isMediaError(err, 'unsupported_container');

export function isMediaError(err: unknown, code?: MediaErrorCode): err is MediaError {
  return err instanceof MediaError && (code === undefined || err.code === code);
}
