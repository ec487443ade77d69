import { randomInt, randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { createRemoteJWKSet } from 'jose'
import { FaultController } from './faults'
import { KeyRing } from './keys'
import { fillPath, PROFILES, type PlatformProfile, type ProfileName, type ThrottleOptions } from './profiles'
import { createState, type SimulatorState } from './state'
import { SignInRefusals } from './sign-in-refusals'
import { TamperQueue } from './tamper'
import { LeakyBuckets } from './throttle'
import type { FaultRoute } from './types'

export type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>

export interface SimulatorStats { jwksFetches: number, tokenRequests: number, scorePosts: number, throttled: number, [k: string]: number }

/** Everything the simulator routes share. `url` is filled in once the server listens. */
export interface SimulatorContext {
  url: string
  profile: PlatformProfile
  state: SimulatorState
  /** Throttling of LTI service calls per client id (Canvas), if any. */
  throttle?: LeakyBuckets
  staleScoreStatus: number
  keys: KeyRing
  tampers: TamperQueue
  signInRefusals: SignInRefusals
  faults: FaultController
  stats: SimulatorStats
  pageSize: number
  platformGuid: string
  /** This site's number among simulated sites sharing an issuer (Canvas's shard id). */
  shard: number
  /** Tool key sets by JWKS URL, for client assertions and deep linking responses. */
  toolKeySets: Map<string, RemoteKeySet>
}

export interface ContextOptions {
  profile?: ProfileName
  pageSize?: number
  staleScoreStatus?: number
  /** Overrides the profile's throttling; false turns it off. */
  throttle?: ThrottleOptions | false
  url?: string
}

export function createContext (opts: ContextOptions = {}): SimulatorContext {
  const profile = PROFILES[opts.profile ?? 'generic']
  const throttle = opts.throttle === false ? undefined : opts.throttle ?? profile.throttle
  return {
    url: opts.url ?? '',
    profile,
    state: createState(),
    throttle: throttle === undefined ? undefined : new LeakyBuckets(throttle),
    staleScoreStatus: opts.staleScoreStatus ?? profile.staleScore.status,
    keys: new KeyRing(),
    tampers: new TamperQueue(),
    signInRefusals: new SignInRefusals(),
    faults: new FaultController(),
    stats: { jwksFetches: 0, tokenRequests: 0, scorePosts: 0, throttled: 0, ...zeroStats() },
    pageSize: Math.min(opts.pageSize ?? 50, profile.maxPageSize),
    platformGuid: randomUUID(),
    shard: randomInt(1000, 9999),
    toolKeySets: new Map()
  }
}

/** Paths every profile shares; the LTI endpoints' paths are the profile's (`ctx.profile.paths`). */
export const endpointPaths = {
  deepLinkReturn: '/deep-link-return',
  launchReturn: '/launch-return',
  openidConfiguration: '/.well-known/openid-configuration',
  registration: '/register'
} as const

export function absoluteUrl (ctx: SimulatorContext, path: string): string {
  return `${ctx.url}${path}`
}

/** The issuer: shared by every school on Canvas, the site's own URL elsewhere. */
export function issuerOf (ctx: SimulatorContext): string {
  return ctx.profile.issuer ?? ctx.url
}

/** A service URL from one of the profile's route patterns; Moodle's carry the tool type as `?type_id=`. */
export function serviceUrl (
  ctx: SimulatorContext, path: keyof PlatformProfile['paths'], values: { courseId: string, id?: string, typeId: string }
): string {
  const url = `${ctx.url}${fillPath(ctx.profile.paths[path], values)}`
  return ctx.profile.typeIdQuery && path !== 'memberships' ? `${url}?type_id=${encodeURIComponent(values.typeId)}` : url
}

/** `…/lineitems/7?type_id=2` → `…/lineitems/7/scores?type_id=2`: a sub-resource of a line item, query kept. */
export function lineItemSubUrl (lineItemUrl: string, sub: string): string {
  const url = new URL(lineItemUrl)
  url.pathname = `${url.pathname}/${sub}`
  return url.toString()
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
