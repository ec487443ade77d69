/**
 * How each simulated LMS bends LTI 1.3. Sources for every behaviour are in the README's testing section and in
 * docs of Canvas (`instructure/canvas-lms`) and Moodle (`moodle/moodle:mod/lti`).
 */

import { randomBytes } from 'node:crypto'
import type { GradingProgress } from './types'

export const PROFILE_NAMES = ['generic', 'canvas', 'moodle'] as const
export type ProfileName = typeof PROFILE_NAMES[number]

/** Canvas's leaky bucket for LTI Advantage calls, one bucket per developer key (client id). */
export interface ThrottleOptions {
  /** The bucket overflows above this; Canvas's default is 600. */
  highWaterMark: number
  /** Units drained per second. */
  leakPerSecond: number
  /** Charged when a request starts and refunded when it ends, so parallel requests overflow the bucket sooner. */
  upFrontCost: number
  /** What one request costs once answered (Canvas measures CPU and database time). */
  requestCost: number
  /** 429 since October 2025; 403 "Rate Limit Exceeded" before. */
  status: 429 | 403
}

export interface PlatformProfile {
  name: ProfileName
  /** Shown in the launch's tool_platform claim and the OpenID configuration. */
  productFamilyCode: string
  platformName: string
  /** Every school of this platform shares this issuer (Canvas); undefined: the simulator's own URL (Moodle's wwwroot). */
  issuer?: string
  /** Fastify route patterns; `:courseId`, `:id` (line item) and `:typeId` are filled in to build URLs. */
  paths: {
    auth: string
    token: string
    jwks: string
    memberships: string
    lineItems: string
    lineItem: string
  }
  /** Most members or line items per page, whatever `limit` asks. */
  maxPageSize: number
  /** Canvas lists active members only (a dropped student disappears); Moodle lists suspended ones as Inactive. */
  listsInactiveMembers: boolean
  /** Canvas: observers get `role_scope_mentor` (their observees' LTI 1.1 ids) and NRPS lists `lti11_legacy_user_id`. */
  observerScope: boolean
  /** Canvas sends `lti_storage_target` on every login, Platform Storage or not. */
  alwaysOffersPlatformStorage: boolean
  /** Canvas sizes the tool's frame to the height the tool tells it with `lti.frameResize`; others ignore the message. */
  resizesToolFrame: boolean
  /** Extra login initiation parameters (Canvas: region and environment). */
  loginParams: Record<string, string>
  /** Answer to a score for someone the platform will not grade. */
  nonStudentScore: { status: number, message: string }
  /** Answer to a score whose timestamp is not newer than the stored one. */
  staleScore: { status: number, message: string }
  /** Grading progress values for which `scoreGiven` is dropped (Moodle keeps it only when FullyGraded). */
  dropsValueWhen: readonly GradingProgress[]
  /** Moodle's service URLs carry `?type_id=<tool type>` and refuse a request without it. */
  typeIdQuery: boolean
  /** Canvas refuses API and LTI service calls without a User-Agent (since January 2026). */
  requiresUserAgent: boolean
  /** Default throttling of LTI service calls; undefined: none. */
  throttle?: ThrottleOptions
  /** Makes a deployment id for the n-th dynamically registered tool. */
  deploymentIdFor: (n: number) => string
}

export const CANVAS_ISSUER = 'https://canvas.instructure.com'

export const CANVAS_THROTTLE: ThrottleOptions = { highWaterMark: 600, leakPerSecond: 10, upFrontCost: 50, requestCost: 1, status: 429 }

const GENERIC: PlatformProfile = {
  name: 'generic',
  productFamilyCode: 'mentorlink-simulator',
  platformName: 'Mentorlink LMS Simulator',
  paths: {
    auth: '/auth',
    token: '/token',
    jwks: '/.well-known/jwks.json',
    memberships: '/api/courses/:courseId/memberships',
    lineItems: '/api/courses/:courseId/lineitems',
    lineItem: '/api/courses/:courseId/lineitems/:id'
  },
  maxPageSize: Infinity,
  listsInactiveMembers: true,
  observerScope: false,
  alwaysOffersPlatformStorage: false,
  resizesToolFrame: false,
  loginParams: {},
  nonStudentScore: { status: 422, message: 'User not found in course or is not a student' },
  staleScore: { status: 409, message: 'timestamp: not newer than the stored score' },
  dropsValueWhen: [],
  typeIdQuery: false,
  requiresUserAgent: false,
  deploymentIdFor: n => `dyn-deploy-${n}`
}

const CANVAS: PlatformProfile = {
  ...GENERIC,
  name: 'canvas',
  productFamilyCode: 'canvas',
  platformName: 'Canvas LMS (simulated)',
  issuer: CANVAS_ISSUER,
  paths: {
    auth: '/api/lti/authorize_redirect',
    token: '/login/oauth2/token',
    jwks: '/api/lti/security/jwks',
    memberships: '/api/lti/courses/:courseId/names_and_roles',
    lineItems: '/api/lti/courses/:courseId/line_items',
    lineItem: '/api/lti/courses/:courseId/line_items/:id'
  },
  maxPageSize: 50,
  listsInactiveMembers: false,
  observerScope: true,
  alwaysOffersPlatformStorage: true,
  resizesToolFrame: true,
  loginParams: { canvas_region: 'us-east-1', canvas_environment: 'prod' },
  staleScore: { status: 400, message: 'timestamp: Score timestamp not greater than previous timestamp' },
  dropsValueWhen: ['Pending', 'Failed', 'NotReady'],
  requiresUserAgent: true,
  throttle: CANVAS_THROTTLE,
  deploymentIdFor: n => `${n}:${randomBytes(20).toString('hex')}`
}

const MOODLE: PlatformProfile = {
  ...GENERIC,
  name: 'moodle',
  productFamilyCode: 'moodle',
  platformName: 'Moodle (simulated)',
  paths: {
    auth: '/mod/lti/auth.php',
    token: '/mod/lti/token.php',
    jwks: '/mod/lti/certs.php',
    memberships: '/mod/lti/services.php/CourseSection/:courseId/bindings/:typeId/memberships',
    lineItems: '/mod/lti/services.php/:courseId/lineitems',
    lineItem: '/mod/lti/services.php/:courseId/lineitems/:id/lineitem'
  },
  nonStudentScore: { status: 400, message: 'Incorrect score received' },
  staleScore: { status: 409, message: 'Refusing score with an earlier timestamp for item and user' },
  dropsValueWhen: ['Pending', 'PendingManual', 'Failed', 'NotReady'],
  typeIdQuery: true,
  deploymentIdFor: n => String(n + 1)
}

export const PROFILES: Record<ProfileName, PlatformProfile> = { generic: GENERIC, canvas: CANVAS, moodle: MOODLE }

/** Fills a route pattern's `:name` segments. */
export function fillPath (pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_m, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`)
    return encodeURIComponent(value)
  })
}
