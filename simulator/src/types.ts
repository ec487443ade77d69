/** Public types of the LMS platform simulator (a fake Canvas/Moodle speaking LTI 1.3 Advantage). */
import type { ProfileName, ThrottleOptions } from './profiles'

/** `timeZone`: what the LMS substitutes for $Person.address.timezone (left unexpanded when unset, as LMSs do). */
export interface SimUser { id: string, name: string, givenName: string, familyName: string, email: string, timeZone?: string }

/**
 * `Observer` is Canvas's ObserverEnrollment: sent as the Mentor role, with `role_scope_mentor` on Canvas.
 * `TestStudent` is Canvas's Student View (StudentViewEnrollment): a Learner whose launch adds the TestUser system
 * role, listed by Names and Roles as a plain Learner, and refused grades.
 */
export type SimRole = 'Instructor' | 'Learner' | 'Mentor' | 'Observer' | 'TeachingAssistant' | 'Administrator' | 'TestStudent'

export type MemberStatus = 'Active' | 'Inactive'

export interface SimMember {
  userId: string
  roles: SimRole[]
  /** Inactive: suspended (Moodle) or a concluded enrolment (Canvas, which then leaves them out of NRPS). */
  status: MemberStatus
  /** Users an Observer observes. */
  observes?: string[]
}

export interface SimCourse {
  id: string
  label: string
  title: string
  members: SimMember[]
  custom?: Record<string, string>
}

/** The tool as registered in this platform. */
export interface ToolRegistration {
  clientId: string
  deploymentIds: string[]
  /** Tool OIDC login initiation URL. */
  loginUrl: string
  /** Allowed redirect_uri values (exact match). */
  redirectUris: string[]
  /** Default launch URL. */
  targetLinkUri: string
  /** Tool JWKS, used to verify the tool's client assertions and deep linking responses. */
  jwksUrl: string
  /** Offer LTI Platform Storage: login requests carry `lti_storage_target=_parent` (launch from /course pages). */
  platformStorage?: boolean
  /** Scopes the platform granted the tool; the token endpoint refuses others. Default: every scope it knows. */
  scopes?: string[]
}

export interface SimulatorOptions {
  /** Which LMS to behave like (default generic); see profiles.ts and the README. */
  profile?: ProfileName
  /** Replaces the profile's throttling of LTI service calls (Canvas has one); false turns it off. */
  throttle?: ThrottleOptions | false
  host?: string
  /** 0 = random. */
  port?: number
  /** Overrides the advertised base URL / issuer (e.g. behind a proxy or in Docker). */
  publicUrl?: string
  /** NRPS and AGS page size, default 50 (Canvas never pages more than 50). */
  pageSize?: number
  logger?: boolean
  /** Overrides the profile's status for a score whose timestamp is not newer than the stored one (Moodle 409, Canvas 400). */
  staleScoreStatus?: number
}

export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest'

export interface LaunchParams {
  clientId: string
  deploymentId: string
  courseId: string
  userId: string
  resourceLinkId?: string
  resourceLinkTitle?: string
  messageType?: MessageType
  targetLinkUri?: string
  /** Line item id (short id or full URL) announced in the AGS claim as `lineitem`. */
  lineItemId?: string
}

export type Tamper =
  | { kind: 'badSignature' } | { kind: 'expired' } | { kind: 'wrongAudience' } | { kind: 'wrongNonce' }
  | { kind: 'wrongIssuer' } | { kind: 'unknownDeployment' } | { kind: 'removeClaim', claim: string }
  | { kind: 'setClaim', claim: string, value: unknown } | { kind: 'unknownKid' }

export interface LineItem {
  /** Absolute URL of the line item (as in the AGS `id`). */
  id: string
  label: string
  scoreMaximum: number
  resourceId?: string
  resourceLinkId?: string
  tag?: string
  startDateTime?: string
  endDateTime?: string
  gradesReleased?: boolean
}

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed'
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady'

export interface ScoreRecord {
  courseId: string
  /** Absolute URL of the line item. */
  lineItemId: string
  userId: string
  scoreGiven?: number
  scoreMaximum?: number
  comment?: string
  activityProgress: ActivityProgress
  gradingProgress: GradingProgress
  timestamp: string
  /** When the simulator stored it (ISO-8601). */
  receivedAt: string
}

export type FaultRoute = 'token' | 'memberships' | 'lineitems' | 'scores' | 'results' | 'jwks' | 'auth'

export interface Fault {
  route: FaultRoute
  status?: number
  retryAfterSeconds?: number
  latencyMs?: number
  /** Default Infinity. */
  times?: number
  body?: unknown
}

export interface FaultInjector {
  add(fault: Fault): void
  /** Answers 429 with Retry-After once more than `perSecond` requests hit the route within one second. */
  rateLimit(limit: { route: FaultRoute, perSecond: number }): void
  clear(): void
  /** Requests a latency fault is holding right now. */
  readonly held: number
}

/** A deep linking response the tool posted back to /deep-link-return, after verification. */
export interface DeepLinkResult {
  clientId: string
  deploymentId: string
  courseId: string
  contentItems: Array<Record<string, unknown>>
  /** Line items created from `lineItem` entries of ltiResourceLink content items. */
  lineItems: LineItem[]
  msg?: string
  errormsg?: string
}

/** What the platform admin decides when handing out a registration token (see Simulator.startDynamicRegistration). */
export interface DynamicRegistrationOptions {
  /** Scopes the admin grants; the tool gets the ones it asked for among these. Default: all it asked for. */
  grantScopes?: string[]
  /** Offer LTI Platform Storage to the new tool. */
  platformStorage?: boolean
  /** Changes the OpenID configuration served for this token (to test a tool's validation). */
  alterConfiguration?: (configuration: Record<string, unknown>) => Record<string, unknown>
  /** Answer the registration without a deployment_id, as Canvas may. */
  omitDeploymentId?: boolean
  /** The client id to assign (default: a new one), e.g. to answer with one the tool already knows. */
  clientId?: string
  /**
   * Answer the OpenID configuration request with this instead (an error page, a redirect: `headers: { location }`),
   * to test what a tool does with answers that are not a configuration.
   */
  configurationAnswer?: { status: number, headers?: Record<string, string>, body?: string }
  /** Answer the registration request with this instead, likewise. */
  registrationAnswer?: { status: number, headers?: Record<string, string>, body?: string }
}

/** A tool created by dynamic registration. */
export interface DynamicRegistrationRecord {
  clientId: string
  deploymentId: string
  grantedScopes: string[]
  /** The registration request the tool posted, as received. */
  request: Record<string, unknown>
}

/** An OIDC error answer to the tool's authentication request (e.g. `login_required`, `access_denied`). */
export interface SignInRefusal {
  error: string
  description?: string
  /** How it reaches the tool: a GET redirect to the redirect URI, or an auto-submitted form post (Moodle). */
  answer: 'redirect' | 'form_post'
}
