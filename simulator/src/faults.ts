import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Fault, FaultInjector, FaultRoute } from './types'

interface RateLimit { perSecond: number, windowStart: number, count: number }

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Rate Limit Exceeded',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout'
}

function defaultBody (status: number): unknown {
  return { errors: [{ message: REASONS[status] ?? `HTTP ${status}` }] }
}

/** Injected failures, applied by route name in an onRequest hook. */
export class FaultController implements FaultInjector {
  private faults: Array<Fault & { remaining: number }> = []
  private limits = new Map<FaultRoute, RateLimit>()
  /** Requests a latency fault is holding right now: a test waits for 0 to know every late answer has gone out. */
  held = 0

  add (fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? Infinity })
  }

  rateLimit ({ route, perSecond }: { route: FaultRoute, perSecond: number }): void {
    this.limits.set(route, { perSecond, windowStart: 0, count: 0 })
  }

  clear (): void {
    this.faults = []
    this.limits.clear()
  }

  hook (route: FaultRoute) {
    return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      const limited = this.checkRateLimit(route)
      if (limited !== undefined) {
        return reply.code(429).header('retry-after', String(limited)).send(defaultBody(429))
      }
      const fault = this.take(route)
      if (fault === undefined) return undefined
      if (fault.latencyMs !== undefined) {
        this.held += 1
        try {
          await sleep(fault.latencyMs)
        } finally {
          this.held -= 1
        }
      }
      if (fault.status === undefined) return undefined
      if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds))
      return reply.code(fault.status).send(fault.body ?? defaultBody(fault.status))
    }
  }

  /** Returns the Retry-After seconds when the request is over the limit. */
  private checkRateLimit (route: FaultRoute): number | undefined {
    const limit = this.limits.get(route)
    if (limit === undefined) return undefined
    const now = Date.now()
    if (now - limit.windowStart >= 1000) {
      limit.windowStart = now
      limit.count = 0
    }
    limit.count += 1
    if (limit.count <= limit.perSecond) return undefined
    return Math.max(1, Math.ceil((limit.windowStart + 1000 - now) / 1000))
  }

  private take (route: FaultRoute): Fault | undefined {
    const fault = this.faults.find(f => f.route === route && f.remaining > 0)
    if (fault === undefined) return undefined
    fault.remaining -= 1
    this.faults = this.faults.filter(f => f.remaining > 0)
    return fault
  }
}
