import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { AppError } from '../errors'

/** Requests per minute each guarded endpoint takes from one network address (check-ins: from one person). */
export interface RateLimits {
  launchesPerMinute: number
  registrationsPerMinute: number
  checkInsPerMinute: number
  emailSignInsPerMinute: number
}

const MINUTE_MS = 60_000

type Limit = { perMinute: keyof RateLimits, per: 'address' | 'person' }

/**
 * The endpoints anyone can call without a session, and the check-in codes (short enough to guess). Check-ins count per
 * signed-in person: everyone on a trip shares the venue's network and checks in at once.
 */
const LIMITED: Record<string, Limit> = {
  'GET /lti/login': { perMinute: 'launchesPerMinute', per: 'address' },
  'POST /lti/login': { perMinute: 'launchesPerMinute', per: 'address' },
  'GET /lti/launch': { perMinute: 'launchesPerMinute', per: 'address' },
  'POST /lti/launch': { perMinute: 'launchesPerMinute', per: 'address' },
  'POST /lti/launch/verify': { perMinute: 'launchesPerMinute', per: 'address' },
  'GET /lti/register': { perMinute: 'registrationsPerMinute', per: 'address' },
  'POST /sign-in': { perMinute: 'emailSignInsPerMinute', per: 'address' },
  'POST /sign-in/link': { perMinute: 'emailSignInsPerMinute', per: 'address' },
  'POST /api/v1/check-ins': { perMinute: 'checkInsPerMinute', per: 'person' },
  'POST /student/check-in': { perMinute: 'checkInsPerMinute', per: 'person' }
}

const personOf = (request: FastifyRequest): string => request.auth ? `person:${String(request.auth.user._id)}` : request.ip

/**
 * Inbound limits, answered with 429 and Retry-After. Counters live in each process: N processes behind a balancer
 * admit up to N times the limit. Must be called before the routes are registered.
 */
export async function registerRateLimiting (app: FastifyInstance, limits: RateLimits): Promise<void> {
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      const limit = LIMITED[`${method} ${route.url}`]
      if (limit === undefined) continue
      route.config = {
        ...route.config,
        rateLimit: {
          max: limits[limit.perMinute],
          timeWindow: MINUTE_MS,
          ...(limit.per === 'person' ? { hook: 'preHandler', keyGenerator: personOf } : {})
        }
      }
    }
  })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', 429, `Too many attempts from here. Please wait ${context.after} and try again.`)
  })
}
