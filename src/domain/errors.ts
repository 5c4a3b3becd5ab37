/**
 * An error a person can act on: a stable `code` for programs and a message
 * for people. Unknown errors are wrapped once, at the edge, with `wrapError`.
 */
export class VigilError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VigilError';
  }
}

export function wrapError(err: unknown, code = 'E_UNEXPECTED'): VigilError {
  if (err instanceof VigilError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new VigilError(code, message, false, { cause: err });
}
