export type DomainErrorCode = 'INVALID' | 'CONFLICT' | 'NOT_FOUND' | 'FORBIDDEN'

/** A rule of the domain was not met; the HTTP layer maps the code to a 4xx status. */
export class DomainError extends Error {
  constructor (readonly code: DomainErrorCode, message: string) {
    super(message)
    this.name = 'DomainError'
  }
}
