import type { SwaggerTransform } from '@fastify/swagger'
import type { FastifySchema, RouteOptions } from 'fastify'
import { z } from 'zod'
import { sessionRolesOf } from '../auth/require-session'
import { ErrorBody } from './schemas'

/**
 * The answers the OpenAPI document lists for each route, as the server sends them. Routes declare what only they can
 * answer (their success, a 409 of a rule of theirs); the answers every route of a kind gives come from what the route
 * is (it takes a session, admits some roles, has an id in its path, takes input, is rate-limited) and are added here,
 * in one place, for the document only: the server's error handler writes them (src/http/error-handler.ts) and
 * test/http/openapi-conformance.test.ts holds the two together.
 */

const MEDIA_TYPE = 'x-media-type'
const REDIRECT = 'x-redirect'

/** A page the route answers with, for a browser (the LTI endpoints). */
export const htmlPage = (description: string) => z.string().meta({ description, [MEDIA_TYPE]: 'text/html' })
/** A redirect: no body, a Location header. */
export const redirect = (description: string) => z.null().meta({ description, [REDIRECT]: true })

/** Refusals a route gives for reasons of its own, in the one error body. */
export const refusals = <S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> =>
  Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<S, typeof ErrorBody>

const ALL_ROLES = 3
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const DESCRIPTIONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'Done; no body',
  400: 'The request is not valid: `fields` names each problem (`body.email`, `querystring.page`, …)',
  401: 'No session, or it has expired: launch Mentorlink from the course again',
  403: 'The session\'s role may not do this, or this record is not the caller\'s',
  404: 'Nothing with this id in the caller\'s course',
  409: 'The course\'s current state does not allow this now (the message says why)',
  415: 'The body is not in a media type the operation reads',
  429: 'Too many requests: wait the seconds in Retry-After',
  431: 'The address and headers are longer than the server reads (16 KB, Node\'s limit)',
  502: 'The LMS failed to answer',
  503: 'The database is unreachable or busy: try again after the seconds in Retry-After'
}
const described = new Map<number, z.ZodType>()
const describedError = (status: number): z.ZodType => {
  const known = described.get(status)
  if (known !== undefined) return known
  const schema = ErrorBody.describe(DESCRIPTIONS[status] ?? 'Refused (the message says why)')
  described.set(status, schema)
  return schema
}

const methodsOf = (route: RouteOptions): string[] => [route.method].flat().map((m) => m.toUpperCase())

/** The error answers a route gives because of what it is, beyond what it declares itself. */
function standardAnswers (route: RouteOptions, schema: FastifySchema): number[] {
  const roles = sessionRolesOf(route)
  const takesBody = methodsOf(route).some((m) => BODY_METHODS.has(m))
  const statuses: number[] = []
  if (takesBody || schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined) statuses.push(400)
  if (roles !== undefined) statuses.push(401)
  if (roles !== undefined && roles.length < ALL_ROLES) statuses.push(403)
  if (route.url.includes(':')) statuses.push(404)
  if (takesBody) statuses.push(415)
  if (isRateLimited(route)) statuses.push(429)
  // The session is read from the database on every such request.
  if (roles !== undefined) statuses.push(503)
  return statuses
}

/** @fastify/rate-limit's per-route setting; `false` turns it off for the route. */
const isRateLimited = (route: RouteOptions): boolean => {
  const setting = (route.config as { rateLimit?: unknown } | undefined)?.rateLimit
  return setting !== undefined && setting !== false
}

// In @fastify/swagger's form: it moves each header's description out of its schema.
const RETRY_AFTER = { type: 'integer', description: 'Seconds to wait before trying again' }
const LOCATION = { type: 'string', description: 'Where the browser goes next' }

type Json = Record<string, unknown>
const isNull = (schema: Json): boolean => schema.type === 'null' || (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null)

/**
 * One answer in OpenAPI form with its media types: the error handler's answers are JSON (and, outside /api/, a page
 * for a browser that asks for HTML); any other answer is JSON unless the route or the answer names another type; an
 * answer without a body lists no content at all, as the server sends none.
 */
function withMediaTypes (status: number, schema: Json, { url, produces, fromErrorHandler }: { url: string, produces?: string[], fromErrorHandler: boolean }): Json {
  const { description, [MEDIA_TYPE]: mediaType, [REDIRECT]: isRedirect, ...body } = schema
  const headers = status === 429 || status === 503
    ? { 'retry-after': RETRY_AFTER }
    : isRedirect === true ? { location: LOCATION } : undefined
  const answer: Json = { description: description ?? DESCRIPTIONS[status] ?? 'Answer', ...(headers ? { headers } : {}) }
  if (isNull(body)) return { ...answer, type: 'null' }
  if (fromErrorHandler) {
    const page = url.startsWith('/api/') ? {} : { 'text/html': { schema: { type: 'string' } } }
    return { ...answer, content: { 'application/json': { schema: body }, ...page } }
  }
  const types = typeof mediaType === 'string' ? [mediaType] : produces ?? ['application/json']
  return { ...answer, content: Object.fromEntries(types.map((t) => [t, { schema: body }])) }
}

/**
 * Wraps the zod schemas' transform: adds each route's standard error answers (a route's own declaration wins unless it
 * is the bare error body) and gives every answer its media types.
 */
export function describeAnswers<S extends FastifySchema> (transform: SwaggerTransform<S>): SwaggerTransform<S> {
  return (input) => {
    const { schema, route, url } = input
    if (schema === undefined || schema === null || (schema as { hide?: boolean }).hide === true) return transform(input)
    const own = (schema.response ?? {}) as Record<string, unknown>
    const response: Record<string, unknown> = {}
    const errors = new Set<number>()
    const refusal = (status: number) => {
      response[status] = describedError(status)
      errors.add(status)
    }
    for (const [status, answer] of Object.entries(own)) {
      if (answer === ErrorBody) refusal(Number(status))
      else response[status] = answer
    }
    for (const status of standardAnswers(route, schema)) if (own[status] === undefined || own[status] === ErrorBody) refusal(status)
    if (Object.keys(response).length === 0) return transform(input)
    const out = transform({ ...input, schema: { ...schema, response } })
    const produces = (schema as { produces?: string[] }).produces
    const answers = Object.entries((out.schema.response ?? {}) as Record<string, Json>)
      .map(([status, answer]) => [status, withMediaTypes(Number(status), answer, { url, produces, fromErrorHandler: errors.has(Number(status)) })])
    return { ...out, schema: { ...out.schema, response: Object.fromEntries(answers) } }
  }
}
