import { z } from 'zod'
import { IdText } from '../domain/activities/record-fields'

/**
 * A MongoDB id in its 24-hex-digit text form. The domain's record fields already define it; routes and auth share
 * that one definition under a name that does not tie them to activities.
 */
export const objectIdString = IdText

/** The path parameter of every route about one stored thing. */
export const IdParams = z.object({ id: objectIdString })

const FieldProblem = z.object({ field: z.string(), message: z.string() })
export const RowProblem = z.object({ line: z.number().int(), field: z.string(), message: z.string() })

/** The error body of every 4xx answer (src/http/error-handler.ts writes it); CSV imports add the bad rows. */
export const ErrorBody = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  fields: z.array(FieldProblem).optional(),
  rows: z.array(RowProblem).optional()
})
export type ErrorBody = z.infer<typeof ErrorBody>
/**
 * The refusals a domain service may answer with (DOMAIN_STATUS in error-handler.ts), for routes that call one. The
 * answers every route of a kind gives (401 without a session, 403 for another role, 404 for an id, …) are added to
 * the API docs by http/api-answers.ts.
 */
export const errorResponses = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } as const

/** The OpenAPI tag and the session security of a JSON API route. */
export const apiCommon = (tag: string) => ({ tags: [tag], security: [{ session: [] }] })
