import type {
  DeepLinkResult, DynamicRegistrationOptions, DynamicRegistrationRecord, LineItem, MessageType, ScoreRecord, SimCourse, SimUser, ToolRegistration
} from './types'

/** A login initiation waiting for its /auth request; keyed by its lti_message_hint. */
export interface PendingLaunch {
  clientId: string
  deploymentId: string
  courseId: string
  userId: string
  messageType: MessageType
  targetLinkUri: string
  resourceLink?: { id: string, title: string }
  lineItemUrl?: string
  expiresAt: number
}

export interface StoredLineItem extends LineItem {
  courseId: string
  /** Short id, the line item's segment of the URL. */
  key: string
  /** The deployment (Moodle: tool type) that created it. */
  typeId: string
}

export interface AccessToken { clientId: string, scopes: string[], expiresAt: number }

/** What the platform remembers about a deep linking request, keyed by its `data` value. */
export interface DeepLinkRequest { clientId: string, deploymentId: string, courseId: string, expiresAt: number }

/** A registration token handed to an admin for LTI Dynamic Registration, with what the admin will grant. */
export interface RegistrationGrant {
  expiresAt: number
  used: boolean
  options: DynamicRegistrationOptions
}

/** All mutable simulator data. Tests may read and change it directly. */
export interface SimulatorState {
  users: Map<string, SimUser>
  courses: Map<string, SimCourse>
  tools: Map<string, ToolRegistration>
  lineItems: Map<string, StoredLineItem>
  /** Every score ever accepted, oldest first. */
  scoreHistory: ScoreRecord[]
  /** Latest score per `${lineItemKey} ${userId}`. */
  latestScores: Map<string, ScoreRecord>
  pendingLaunches: Map<string, PendingLaunch>
  accessTokens: Map<string, AccessToken>
  /** Client assertion jti values already used, with the time they may be forgotten. */
  seenJtis: Map<string, number>
  deepLinkRequests: Map<string, DeepLinkRequest>
  deepLinkResults: DeepLinkResult[]
  registrationTokens: Map<string, RegistrationGrant>
  /** Tools created by dynamic registration, with the registration request the tool sent, oldest first. */
  dynamicRegistrations: DynamicRegistrationRecord[]
  nextLineItemKey: number
}

export function createState (): SimulatorState {
  return {
    users: new Map(),
    courses: new Map(),
    tools: new Map(),
    lineItems: new Map(),
    scoreHistory: [],
    latestScores: new Map(),
    pendingLaunches: new Map(),
    accessTokens: new Map(),
    seenJtis: new Map(),
    deepLinkRequests: new Map(),
    deepLinkResults: [],
    registrationTokens: new Map(),
    dynamicRegistrations: [],
    nextLineItemKey: 1
  }
}

export function setMemberStatus (
  state: SimulatorState, courseId: string, userId: string, status: 'Active' | 'Inactive' | 'Removed'
): void {
  const course = state.courses.get(courseId)
  if (course === undefined) throw new Error(`unknown course ${courseId}`)
  const member = course.members.find(m => m.userId === userId)
  if (member === undefined) throw new Error(`user ${userId} is not a member of course ${courseId}`)
  if (status === 'Removed') course.members = course.members.filter(m => m !== member)
  else member.status = status
}

export function findMember (state: SimulatorState, courseId: string, userId: string) {
  return state.courses.get(courseId)?.members.find(m => m.userId === userId)
}

/** Removes expired entries from a map of items carrying an absolute expiry. */
export function purgeExpired<V> (map: Map<string, V>, expiry: (v: V) => number, now = Date.now()): void {
  for (const [key, value] of map) if (expiry(value) <= now) map.delete(key)
}
