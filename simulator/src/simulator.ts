import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { expireAllTokens } from './access-tokens'
import { buildSimulatorApp } from './app'
import { absoluteUrl, createContext, issuerOf, type SimulatorStats } from './context'
import { toolFromDeveloperKey } from './canvas-developer-key'
import { registrationUrlFor } from './dynamic-registration'
import { idTokenClaims } from './id-token'
import { createLaunchRequest, pendingLaunchOf } from './launch-request'
import { courseLineItems, createLineItem, deleteLineItem, lineItemKey, toPublicLineItem } from './line-item-store'
import {
  lineItemInputSchema, parseOrThrow, simCourseSchema, simUserSchema, toolRegistrationSchema, type LineItemInput
} from './schemas'
import type { ProfileName } from './profiles'
import { setMemberStatus, type SimulatorState } from './state'
import type {
  DeepLinkResult, DynamicRegistrationOptions, DynamicRegistrationRecord, FaultInjector, LaunchParams, LineItem, ScoreRecord, SimCourse, SimUser, SimulatorOptions, SignInRefusal, Tamper,
  ToolRegistration
} from './types'

export interface Simulator {
  /** Base URL once listening, e.g. http://127.0.0.1:41234; the issuer too, except on Canvas. */
  url: string
  issuer: string
  profile: ProfileName
  endpoints: { auth: string, token: string, jwks: string }
  /** Courses, users, tools, gradebook: mutable by tests. */
  state: SimulatorState
  addTool(t: ToolRegistration): void
  /**
   * A Canvas admin's registration: a developer key from the tool's `lti-config.json`, installed in an account.
   * Returns the client id and deployment id Canvas would show, to register on the tool's side.
   */
  addCanvasDeveloperKey(json: unknown, redirectUris?: string[]): { clientId: string, deploymentId: string }
  addUser(u: SimUser): void
  addCourse(c: SimCourse): void
  setMemberStatus(courseId: string, userId: string, status: 'Active' | 'Inactive' | 'Removed'): void
  /**
   * Creates a line item as a teacher would (e.g. an assignment bound to a resource link), in the activity of a
   * deployment (Moodle: tool type), by default the first registered tool's first one.
   */
  addLineItem(courseId: string, item: LineItemInput, deploymentId?: string): LineItem
  /** Deletes a line item (short id or URL) and its scores, as a teacher deleting the column would: services then answer 404. */
  deleteLineItem(courseId: string, lineItemId: string): void
  /** Build the login-initiation request a platform sends when a user clicks the tool link. */
  launchRequest(p: LaunchParams): { loginUrl: string, params: Record<string, string> }
  /**
   * The claims of the id_token a launch with these parameters would carry, unsigned and with a throwaway nonce:
   * what a tool would learn of the course and user from that launch (the demo seeds its course from them).
   */
  launchClaims(p: LaunchParams): Record<string, unknown>
  /** Next id_tokens signed by /auth get these changes (for negative tests); cleared after `times` uses (default 1). */
  tamperNextLaunch(t: Tamper, times?: number): void
  /**
   * The next sign-ins (`times`, default 1) are refused: the tool's redirect URI gets `error`, `error_description`
   * and `state` instead of an id_token, by redirect or by form post.
   */
  refuseNextSignIn(refusal: SignInRefusal, times?: number): void
  /** New signing key + kid; JWKS publishes the new key AND the previous one. */
  rotateKey(): void
  /** New signing key under the same kid: JWKS publishes only the new key (some platforms replace keys in place). */
  replaceKey(): void
  /** Makes every issued access token expire now, so the next service call gets a 401. */
  expireAllTokens(): void
  faults: FaultInjector
  stats: SimulatorStats
  /** Latest score per user + line item (line item as short id or URL). */
  gradebook(courseId: string, lineItemId?: string): ScoreRecord[]
  lineItems(courseId: string): LineItem[]
  /** Verified deep linking responses, oldest first. */
  deepLinkResults(): DeepLinkResult[]
  /**
   * What an admin does to register a tool by URL: a new single-use registration token, and the tool's registration
   * URL with `openid_configuration` and `registration_token` added (its own query is kept), to open in a browser.
   */
  startDynamicRegistration(toolRegistrationUrl: string, options?: DynamicRegistrationOptions): string
  /** Tools created by dynamic registration, oldest first. */
  dynamicRegistrations(): DynamicRegistrationRecord[]
  close(): Promise<void>
}

function baseUrl (host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return `http://${name}:${port}`
}

export async function startSimulator (opts: SimulatorOptions = {}): Promise<Simulator> {
  const ctx = createContext({ profile: opts.profile, pageSize: opts.pageSize, staleScoreStatus: opts.staleScoreStatus, throttle: opts.throttle })
  const app = await buildSimulatorApp(ctx, { logger: opts.logger })
  const host = opts.host ?? '127.0.0.1'
  await app.listen({ host, port: opts.port ?? 0 })
  ctx.url = (opts.publicUrl ?? baseUrl(host, (app.server.address() as AddressInfo).port)).replace(/\/$/, '')
  const { state } = ctx

  return {
    url: ctx.url,
    issuer: issuerOf(ctx),
    profile: ctx.profile.name,
    endpoints: {
      auth: absoluteUrl(ctx, ctx.profile.paths.auth),
      token: absoluteUrl(ctx, ctx.profile.paths.token),
      jwks: absoluteUrl(ctx, ctx.profile.paths.jwks)
    },
    state,
    // The caller's objects are stored (not zod's copies) so tests can keep mutating them.
    addTool: t => { state.tools.set(parseOrThrow(toolRegistrationSchema, t, 'tool').clientId, t) },
    addCanvasDeveloperKey: (json, redirectUris) => {
      const n = state.tools.size + 1
      // Canvas ids are unique across every school: a shard number, then the key's number on that shard.
      const ids = { clientId: `${ctx.shard}${String(n).padStart(10, '0')}`, deploymentId: ctx.profile.deploymentIdFor(n) }
      const tool = toolFromDeveloperKey(json, ids, redirectUris)
      state.tools.set(tool.clientId, tool)
      return ids
    },
    addUser: u => { state.users.set(parseOrThrow(simUserSchema, u, 'user').id, u) },
    addCourse: c => { state.courses.set(parseOrThrow(simCourseSchema, c, 'course').id, c) },
    setMemberStatus: (courseId, userId, status) => { setMemberStatus(state, courseId, userId, status) },
    addLineItem: (courseId, item, deploymentId) => {
      if (!state.courses.has(courseId)) throw new Error(`unknown course ${courseId}`)
      const typeId = deploymentId ?? [...state.tools.values()][0]?.deploymentIds[0] ?? ''
      return toPublicLineItem(createLineItem(ctx, courseId, parseOrThrow(lineItemInputSchema, item, 'line item'), typeId))
    },
    deleteLineItem: (courseId, lineItemId) => {
      const item = state.lineItems.get(lineItemKey(lineItemId))
      if (item?.courseId !== courseId) throw new Error(`no line item ${lineItemId} in course ${courseId}`)
      deleteLineItem(ctx, item)
    },
    launchRequest: p => createLaunchRequest(ctx, p),
    launchClaims: p => idTokenClaims(ctx, pendingLaunchOf(ctx, p).launch, randomBytes(16).toString('base64url')),
    tamperNextLaunch: (t, times) => { ctx.tampers.add(t, times) },
    refuseNextSignIn: (refusal, times) => { ctx.signInRefusals.add(refusal, times) },
    rotateKey: () => { ctx.keys.rotate() },
    replaceKey: () => { ctx.keys.replace() },
    expireAllTokens: () => { expireAllTokens(ctx) },
    faults: ctx.faults,
    stats: ctx.stats,
    gradebook: (courseId, lineItemId) => [...state.latestScores.values()].filter(s => s.courseId === courseId &&
      (lineItemId === undefined || lineItemKey(s.lineItemId) === lineItemKey(lineItemId))),
    lineItems: courseId => courseLineItems(ctx, courseId).map(toPublicLineItem),
    deepLinkResults: () => [...state.deepLinkResults],
    startDynamicRegistration: (toolRegistrationUrl, options = {}) => registrationUrlFor(ctx, toolRegistrationUrl, options),
    dynamicRegistrations: () => [...state.dynamicRegistrations],
    close: async () => { await app.close() }
  }
}
