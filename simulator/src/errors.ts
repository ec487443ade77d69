import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { describeIssue } from './schemas'

/** An error answered to the client as is; `field` names the offending parameter or body field. */
export class SimulatorError extends Error {
  constructor (
    readonly status: number,
    message: string,
    readonly field?: string,
    /** OAuth 2 error code (RFC 6749 §5.2) when answered by an OAuth/OIDC endpoint. */
    readonly code?: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

/** Parses with zod or throws a 400 naming the first failing field. */
export function validate<T> (schema: z.ZodType<T>, value: unknown, code = 'invalid_request'): T {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  const { field, message } = describeIssue(result.error)
  throw new SimulatorError(400, `${field}: ${message}`, field, code)
}

function normalise (error: FastifyError | SimulatorError): SimulatorError {
  if (error instanceof SimulatorError) return error
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500
  return new SimulatorError(status, status < 500 ? error.message : 'Internal Server Error')
}

/** Error bodies of the OAuth 2 / OIDC endpoints: `{ error, error_description, parameter }`. */
export async function oauthErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const e = normalise(error)
  if (e.status >= 500) request.log.error({ err: error }, 'simulator error')
  const code = e.code ?? (e.status >= 500 ? 'server_error' : 'invalid_request')
  return await reply.code(e.status).headers({ ...e.headers, 'cache-control': 'no-store' })
    .send({ error: code, error_description: e.message, ...(e.field !== undefined && { parameter: e.field }) })
}

/** Error bodies of the LTI service endpoints, Canvas style: `{ errors: [{ message, field }] }`. */
export async function serviceErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const e = normalise(error)
  if (e.status >= 500) request.log.error({ err: error }, 'simulator error')
  return await reply.code(e.status).headers(e.headers)
    .send({ errors: [{ message: e.message, ...(e.field !== undefined && { field: e.field }) }] })
}
