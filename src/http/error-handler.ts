import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { DomainError } from '../domain/domain-error'
import { AppError } from '../errors'
import type { ErrorBody } from './schemas'

const DOMAIN_STATUS = { INVALID: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as const


/** Field-level problems an AppError carries in `details.fields`, e.g. an email already taken. */
const fieldsOf = (err: AppError): Pick<ErrorBody, 'fields'> =>
  Array.isArray(err.details?.fields) ? { fields: err.details.fields as ErrorBody['fields'] } : {}

function toBody (err: FastifyError | Error): ErrorBody {
  if (err instanceof AppError) return { statusCode: err.statusCode, error: err.code, message: err.message, ...fieldsOf(err) }
  if (err instanceof DomainError) return { statusCode: DOMAIN_STATUS[err.code], error: err.code, message: err.message }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? 'request'
    const fields = err.validation.map((v) => ({
      field: [where, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is invalid'
    }))
    return { statusCode: 400, error: 'VALIDATION_FAILED', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields }
  }
  const status = (err as FastifyError).statusCode
  if (status !== undefined && status >= 400 && status < 500) return { statusCode: status, error: (err as FastifyError).code ?? 'BAD_REQUEST', message: err.message }
  return { statusCode: 500, error: 'INTERNAL_ERROR', message: 'Something went wrong on our side. Please try again.' }
}

const wantsHtml = (request: FastifyRequest): boolean =>
  !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html')

/** One place that turns errors into 4xx answers naming what was wrong, as JSON or as a page for browsers. */
export function registerErrorHandling (app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = toBody(err)
    if (body.statusCode >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ code: body.error, status: body.statusCode, reason: body.message }, 'request refused')
    reply.status(body.statusCode)
    if (wantsHtml(request)) return await reply.view('pages/error', { title: 'Something is not right', ...body })
    return body
  })
  app.setNotFoundHandler(async (request, reply) => {
    const body = { statusCode: 404, error: 'NOT_FOUND', message: `${request.method} ${request.url.split('?')[0] ?? ''} not found` }
    reply.status(404)
    if (wantsHtml(request)) return await reply.view('pages/error', { title: 'Page not found', ...body })
    return body
  })
}
