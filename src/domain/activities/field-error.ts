import { AppError } from '../../errors'
import type { FieldError } from '../pools/field-errors'

export type { FieldError }

/** A refusal naming fields; the error handler lists them, and pages show each next to its field. */
export const fieldsError = (fields: FieldError[], statusCode = 400, code = 'VALIDATION_FAILED'): AppError =>
  new AppError(code, statusCode, fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields })

export const invalidField = (field: string, message: string, statusCode = 400): AppError => fieldsError([{ field, message }], statusCode)

/** The named fields of a refusal, for pages; null when the error is not about fields. */
export function fieldsOf (err: unknown): FieldError[] | null {
  if (!(err instanceof AppError) || err.statusCode >= 500) return null
  const fields = err.details?.fields
  return Array.isArray(fields) ? fields as FieldError[] : null
}
