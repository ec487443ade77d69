/** An error the client may see: a stable code, an HTTP status and a message safe to show. */
export class AppError extends Error {
  constructor (
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const Errors = {
  badRequest: (message: string, details?: Record<string, unknown>) => new AppError('BAD_REQUEST', 400, message, details),
  unauthorized: (message = 'Launch Mentorlink from your course to sign in') => new AppError('UNAUTHORIZED', 401, message),
  forbidden: (message = 'You do not have access to this page') => new AppError('FORBIDDEN', 403, message),
  notFound: (what: string) => new AppError('NOT_FOUND', 404, `${what} not found`),
  conflict: (message: string) => new AppError('CONFLICT', 409, message),
  /** A launch the tool refuses: the reason names the failed check, never the token. */
  launchRefused: (reason: string, statusCode = 401) => new AppError('LTI_LAUNCH_REFUSED', statusCode, `LTI launch refused: ${reason}`)
}
