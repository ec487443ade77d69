import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { DomainError } from '../domain/domain-error'
import { AppError } from '../errors'
import type { ErrorBody } from './schemas'

/** The HTTP status of each domain rule broken; pages that show a refusal themselves answer with it too. */
export const DOMAIN_STATUS = { INVALID: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as const

/** The MongoDB driver's errors for a database it cannot reach (by name: the web layer does not import the driver). */
const UNREACHABLE = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError'])
const isDatabaseUnreachable = (err: Error): boolean => UNREACHABLE.has(err.name) || UNREACHABLE.has(err.constructor.name)
/** Seconds a client is asked to wait before trying again while the database is unreachable. */
const RETRY_AFTER_SECONDS = 5
/** The embedded database's "locked" once persistence's own retries (persistence/busy.ts) gave up: a moment, not an outage. */
const isDatabaseBusy = (err: Error): boolean => /database (table )?is locked|SQLITE_(BUSY|LOCKED)/i.test(err.message)
const BUSY_RETRY_AFTER_SECONDS = 1


/** A plugin's error without a code of its own (@fastify/rate-limit's 429) is named by its status: TOO_MANY_REQUESTS. */
const codeOfStatus = (status: number): string => (STATUS_CODES[status] ?? 'Bad Request').toUpperCase().replace(/[^A-Z]+/g, '_')

/** Field-level problems an AppError carries in `details.fields`, e.g. an email already taken. */
const fieldsOf = (err: AppError): Pick<ErrorBody, 'fields'> =>
  Array.isArray(err.details?.fields) ? { fields: err.details.fields as ErrorBody['fields'] } : {}

function toBody (err: FastifyError | Error): ErrorBody {
  if (err instanceof AppError) return { statusCode: err.statusCode, error: err.code, message: err.message, ...fieldsOf(err) }
  if (err instanceof DomainError) return { statusCode: DOMAIN_STATUS[err.code], error: err.code, message: err.message }
  if (isDatabaseUnreachable(err)) {
    return { statusCode: 503, error: 'DATABASE_UNAVAILABLE', message: 'Mentorlink cannot reach its database just now. Please try again in a minute.' }
  }
  if (isDatabaseBusy(err)) {
    return { statusCode: 503, error: 'DATABASE_BUSY', message: 'Mentorlink is very busy just now. Please try again in a moment.' }
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? 'request'
    const fields = err.validation.map((v) => ({
      field: [where, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is invalid'
    }))
    return { statusCode: 400, error: 'VALIDATION_FAILED', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields }
  }
  const status = (err as FastifyError).statusCode
  if (status !== undefined && status >= 400 && status < 500) return { statusCode: status, error: (err as FastifyError).code ?? codeOfStatus(status), message: err.message }
  return { statusCode: 500, error: 'INTERNAL_ERROR', message: 'Something went wrong on our side. Please try again.' }
}

export const wantsHtml = (request: FastifyRequest): boolean =>
  !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html')

/** `querystring.page` → "Page": what a person sees of a field in the address or a form. */
const labelOf = (field: string): string => {
  const name = field.split('.').at(-1) ?? field
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * What the error page shows: the problems in people's words and, for a page opened with a value it cannot use (a
 * hand-edited address), a way back to the same page without it, signed in as before.
 */
function errorPage (request: FastifyRequest, body: ErrorBody) {
  const fields = body.fields?.map((f) => {
    const label = labelOf(f.field)
    const name = f.field.split('.').at(-1) ?? f.field
    // The parameter's own name too when the words differ from it: an administrator looks that one up.
    return { label, name: name.toLowerCase() === label.toLowerCase() ? null : name, message: f.message }
  })
  const session = (request.query as Record<string, unknown> | undefined)?.session
  const path = request.url.split('?')[0] ?? '/'
  const back = request.method === 'GET' && body.statusCode === 400 && typeof session === 'string'
    ? `${path}?session=${encodeURIComponent(session)}`
    : null
  // A mentor pages' visitor without a session may be an external mentor, who signs in by email, not from a course.
  const signInHint = body.statusCode === 401 && path.startsWith('/mentor')
  // Waiting is the whole answer to a rate limit; opening Mentorlink again would only count once more.
  const reopenHint = body.statusCode !== 429
  return { ...body, fields, back, signInHint, reopenHint }
}

const TITLES: Partial<Record<number, string>> = { 429: 'Please wait a moment' }

/**
 * The router's own refusals, before any route is chosen: a path parameter longer than the router keeps
 * (FST_ERR_MAX_PARAM_LENGTH, which fastify answers 414 in a body of its own) or a broken %-escape. Both are addresses
 * no route can serve, answered 400 in the one error body. Pass as fastify's `frameworkErrors` option.
 */
export function answerFrameworkError (err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the address is too long to be an id' : 'The address is not valid'
  const body: ErrorBody = { statusCode: 400, error: err.code, message }
  void reply.status(400).send(body)
}

const ANSWERED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
const isVariable = (part: string): boolean => part.startsWith(':') || part === '*'
const pathPattern = (url: string): RegExp =>
  new RegExp(`^${url.split('/').map((part) => part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')}$`)
/** How many addresses a route's path stands for: a wildcard more than any number of parameters. */
const generalityOf = (url: string): number => url.split('/').reduce((n, part) => n + (part === '*' ? 100 : part.startsWith(':') ? 1 : 0), 0)

/**
 * A request with a method no route at its path takes (TRACE, QUERY, DELETE on a list) is answered 405 with the
 * methods that path takes in `Allow`, not 404 as if the path did not exist. A path is the resource of its most
 * specific routes: the router would send `PATCH /api/v1/pool/mentors/import` on to `PATCH …/mentors/:id`, but that
 * address is the import's, which only takes POST. Register before the routes: it learns them as they are added.
 */
export function answerUnsupportedMethods (app: FastifyInstance): void {
  const routes: Array<{ pattern: RegExp, generality: number, methods: string[] }> = []
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map((m) => m.toUpperCase())
    routes.push({ pattern: pathPattern(route.url), generality: generalityOf(route.url), methods: methods.includes('GET') ? [...methods, 'HEAD'] : methods })
  })
  const methodsAt = (path: string): Set<string> => {
    const matching = routes.filter((r) => r.pattern.test(path))
    const closest = Math.min(...matching.map((r) => r.generality))
    return new Set(matching.filter((r) => r.generality === closest).flatMap((r) => r.methods))
  }
  app.addHook('onRequest', async (request, reply) => {
    // A route without parameters is its path's own resource.
    if (!request.is404 && !request.routeOptions.url?.split('/').some(isVariable)) return
    const path = request.url.split('?')[0] ?? '/'
    const allowed = methodsAt(path)
    if (allowed.size === 0 || allowed.has(request.method)) return
    const allow = ANSWERED_METHODS.filter((m) => allowed.has(m))
    const body: ErrorBody = { statusCode: 405, error: 'METHOD_NOT_ALLOWED', message: `${request.method} is not answered at ${path}: use ${allow.join(', ')}` }
    return await reply.status(405).header('allow', allow.join(', ')).send(body)
  })
}

/** One place that turns errors into 4xx answers naming what was wrong, as JSON or as a page for browsers. */
export function registerErrorHandling (app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = toBody(err)
    if (body.statusCode === 503) request.log.warn({ err: err.message }, body.error === 'DATABASE_BUSY' ? 'database busy' : 'database unreachable')
    else if (body.statusCode >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ code: body.error, status: body.statusCode, reason: body.message }, 'request refused')
    reply.status(body.statusCode)
    if (body.statusCode === 503) reply.header('retry-after', String(body.error === 'DATABASE_BUSY' ? BUSY_RETRY_AFTER_SECONDS : RETRY_AFTER_SECONDS))
    // Sent, not returned: an error raised inside another plugin's callback (@fastify/static refusing a path) reaches
    // this handler where a returned value is never sent, and the connection would hang.
    if (wantsHtml(request)) return await reply.view('pages/error', { title: TITLES[body.statusCode] ?? 'Something is not right', ...errorPage(request, body) })
    return await reply.send(body)
  })
  app.setNotFoundHandler(async (request, reply) => {
    const body = { statusCode: 404, error: 'NOT_FOUND', message: `${request.method} ${request.url.split('?')[0] ?? ''} not found` }
    reply.status(404)
    if (wantsHtml(request)) return await reply.view('pages/error', { title: 'Page not found', ...body, reopenHint: true })
    return await reply.send(body)
  })
}
