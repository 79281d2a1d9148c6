// Typed errors. Every AppError carries a message a user can act on; UI code
// turns them into text in one place (userMessage).

export type ErrorCode =
  | 'NIX_NOT_FOUND'
  | 'NIX_EVAL_FAILED'
  | 'SPAWN_FAILED'
  | 'COMMAND_FAILED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'INVALID_INPUT'
  | 'STORE_CORRUPT'
  | 'BUSY'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TEARDOWN_INCOMPLETE';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { readonly field?: string; readonly logTail?: readonly string[]; readonly cause?: unknown } = {},
  ) {
    super(message);
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

/** The one place an error becomes user-facing text. */
export function userMessage(e: unknown): string {
  if (e instanceof AppError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
