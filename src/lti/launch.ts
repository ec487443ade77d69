import type { Types } from 'mongoose'
import { z } from 'zod'
import type { SessionCourse, SessionService } from '../auth/session-service'
import { courseRoleFromLis, isTestUser, type CourseRole } from '../domain/launch/roles'
import { Errors } from '../errors'
import type { LoginRepository, StateBinding } from '../persistence/repositories/login.repository'
import type { PlatformRepository } from '../persistence/repositories/platform.repository'
import type { Tenant, TenancyRepository } from '../persistence/repositories/tenancy.repository'
import { deepLinkingSettingsOf, type DeepLinkingSettings } from './deep-linking/deep-linking-settings'
import { CLAIM } from './claims'
import type { createIdTokenVerifier } from './id-token'
import { launchContextFrom } from './launch-context'
import type { LoginStates } from './login-state'

export const LaunchBody = z.object({
  id_token: z.string().min(1).max(64 * 1024),
  state: z.string().min(1).max(256)
})
export type LaunchBody = z.infer<typeof LaunchBody>

export interface LaunchDeps {
  logins: LoginRepository
  loginStates: LoginStates
  platforms: PlatformRepository
  tenancy: TenancyRepository
  sessions: SessionService
  verify: ReturnType<typeof createIdTokenVerifier>
  launchUrl: string
  /**
   * Told of every accepted launch, with the course as it was just written; they must return at once and do any slow
   * work in the background. `joined` when the launch added the member to the course, reactivated them or changed
   * their role.
   */
  afterLaunch?: Array<(launch: { course: SessionCourse, userId: Types.ObjectId, role: CourseRole, joined: boolean, resourceLinkId?: string }) => void>
}

const STATE_UNUSABLE = 'state is unknown, expired or already used'

export interface LaunchOutcome {
  role: CourseRole
  sessionToken: string
  courseTitle: string
  userName: string
  tenant: Tenant
  /** Present for an LtiDeepLinkingRequest: the launch then goes to the deep linking page, not the home page. */
  deepLinking?: DeepLinkingSettings
}

/**
 * The OIDC authentication response: the state must be one we issued to the platform that signed the id_token, bound
 * to this browser (by the state cookie or by LTI Platform Storage: `binding`) and unused; the id_token must verify
 * against it. Every check that needs no database comes first, so junk posted at the endpoint costs no write and
 * cannot slow real launches down; the state's single-use claim is the first write.
 */
export function createLaunchHandler (deps: LaunchDeps) {
  return async (body: LaunchBody, binding: StateBinding | undefined): Promise<LaunchOutcome> => {
    const login = deps.loginStates.read(body.state, body.id_token)
    if (login === 'other platform') throw Errors.launchRefused('the id_token\'s issuer ("iss") or audience ("aud") is not the platform this login was started for')
    if (login === 'unknown') throw Errors.launchRefused(STATE_UNUSABLE)
    if (!binding) throw Errors.launchRefused('state was not issued to this browser')
    const reg = await deps.platforms.find(login.issuer, login.clientId)
    if (!reg) throw Errors.launchRefused('the platform registration was removed during the launch')

    const claims = await deps.verify(body.id_token, {
      issuer: reg.issuer,
      clientId: reg.clientId,
      nonce: login.nonce,
      jwksUrl: reg.jwksUrl,
      deploymentIds: reg.deploymentIds,
      launchUrl: deps.launchUrl
    })
    if (!await deps.logins.useState(body.state, login.expiresAt, { ...login, binding })) throw Errors.launchRefused(STATE_UNUSABLE)
    const launch = launchContextFrom(claims, reg.issuer, reg.clientId)
    const role = courseRoleFromLis(launch.roles)
    if (!role) throw Errors.launchRefused('none of your course roles (instructor, mentor, learner) can use Mentorlink', 403)

    const now = new Date()
    const course = await deps.tenancy.upsertCourse(launch.tenant, launch.course, now)
    const user = await deps.tenancy.upsertUser(launch.tenant, launch.user)
    const { joined } = await deps.tenancy.upsertMembership(course._id, user._id, { role, lisRoles: launch.roles, testUser: isTestUser(launch.roles), name: user.name, email: user.email }, now)
    const sessionToken = await deps.sessions.create(user._id, course._id, role, user, course)
    const resourceLinkId = CLAIM.resourceLink in claims ? claims[CLAIM.resourceLink].id : undefined
    for (const listener of deps.afterLaunch ?? []) {
      try { listener({ course, userId: user._id, role, joined, resourceLinkId }) } catch { /* a listener must never fail the launch */ }
    }
    return { role, sessionToken, courseTitle: course.title, userName: user.name, tenant: launch.tenant, deepLinking: deepLinkingSettingsOf(claims) }
  }
}
