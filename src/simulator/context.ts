import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { createRemoteJWKSet } from 'jose'
import { FaultController } from './faults'
import { KeyRing } from './keys'
import { createState, type SimulatorState } from './state'
import { TamperQueue } from './tamper'
import type { FaultRoute } from './types'

export type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>

export interface SimulatorStats { jwksFetches: number, tokenRequests: number, scorePosts: number, [k: string]: number }

/** Everything the simulator routes share. `url` is filled in once the server listens. */
export interface SimulatorContext {
  url: string
  state: SimulatorState
  keys: KeyRing
  tampers: TamperQueue
  faults: FaultController
  stats: SimulatorStats
  pageSize: number
  platformGuid: string
  /** Tool key sets by JWKS URL, for client assertions and deep linking responses. */
  toolKeySets: Map<string, RemoteKeySet>
}

export function createContext (opts: { pageSize?: number, staleScoreStatus?: number, url?: string } = {}): SimulatorContext {
  return {
    url: opts.url ?? '',
    state: createState(opts.staleScoreStatus),
    keys: new KeyRing(),
    tampers: new TamperQueue(),
    faults: new FaultController(),
    stats: { jwksFetches: 0, tokenRequests: 0, scorePosts: 0, ...zeroStats() },
    pageSize: opts.pageSize ?? 50,
    platformGuid: randomUUID(),
    toolKeySets: new Map()
  }
}

export const endpointPaths = {
  auth: '/auth',
  token: '/token',
  jwks: '/.well-known/jwks.json',
  deepLinkReturn: '/deep-link-return',
  launchReturn: '/launch-return',
  openidConfiguration: '/.well-known/openid-configuration',
  registration: '/register'
} as const

export function absoluteUrl (ctx: SimulatorContext, path: string): string {
  return `${ctx.url}${path}`
}

export function courseApiUrl (ctx: SimulatorContext, courseId: string, path = ''): string {
  return `${ctx.url}/api/courses/${encodeURIComponent(courseId)}${path}`
}

/** Stat counted for every request reaching a route, faulted or not. */
const STAT_NAMES: Record<FaultRoute, string> = {
  jwks: 'jwksFetches',
  token: 'tokenRequests',
  scores: 'scorePosts',
  auth: 'authRequests',
  memberships: 'membershipRequests',
  lineitems: 'lineItemRequests',
  results: 'resultRequests'
}

function zeroStats (): Record<string, number> {
  return Object.fromEntries(Object.values(STAT_NAMES).map(name => [name, 0]))
}

/** onRequest hook for every route of one fault route name: count the request, then inject faults. */
export function routeHook (ctx: SimulatorContext, route: FaultRoute) {
  const stat = STAT_NAMES[route]
  const injectFaults = ctx.faults.hook(route)
  return async (request: FastifyRequest, reply: FastifyReply) => {
    ctx.stats[stat] = (ctx.stats[stat] ?? 0) + 1
    return await injectFaults(request, reply)
  }
}
