import type { z } from 'zod'
import { AppError } from '../../errors'

export interface FieldError { field: string, message: string }

/**
 * One message per offending field (the first), named by its top-level key, or by its row for a list of objects
 * ('milestones.2.date'), whose rows a form shows apart; unknown keys are named too.
 */
export function fieldErrorsOf (error: z.ZodError): FieldError[] {
  const seen = new Map<string, string>()
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) if (!seen.has(key)) seen.set(key, 'is not a known field')
      continue
    }
    const inRow = issue.path.length >= 3 && typeof issue.path[1] === 'number'
    const field = issue.path.length === 0 ? '(form)' : inRow ? issue.path.map(String).join('.') : String(issue.path[0])
    if (!seen.has(field)) seen.set(field, issue.message)
  }
  return [...seen].map(([field, message]) => ({ field, message }))
}

/** A request the pool refuses because of named fields, e.g. an email already in the pool. */
export class PoolFieldError extends AppError {
  constructor (statusCode: 400 | 409, readonly fields: FieldError[]) {
    super(statusCode === 409 ? 'CONFLICT' : 'VALIDATION_FAILED', statusCode, fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields })
  }

  /** The same error naming fields as the JSON API's validator does, e.g. `body.email`. */
  in (where: 'body' | 'querystring' | 'params'): PoolFieldError {
    return new PoolFieldError(this.statusCode as 400 | 409, this.fields.map((f) => ({ ...f, field: `${where}.${f.field}` })))
  }
}

export const emailTaken = (): PoolFieldError => new PoolFieldError(409, [{ field: 'email', message: 'is already in the pool' }])
