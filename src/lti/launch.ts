import { z } from 'zod'
import type { SessionService } from '../auth/session-service'
import { courseRoleFromLis, type CourseRole } from '../domain/launch/roles'
import { Errors } from '../errors'
import type { LoginRepository } from '../persistence/repositories/login.repository'
import type { PlatformRepository } from '../persistence/repositories/platform.repository'
import type { TenancyRepository } from '../persistence/repositories/tenancy.repository'
import type { createIdTokenVerifier } from './id-token'
import { launchContextFrom } from './launch-context'

export const LaunchBody = z.object({
  id_token: z.string().min(1).max(64 * 1024),
  state: z.string().min(1).max(256)
})
export type LaunchBody = z.infer<typeof LaunchBody>

export interface LaunchDeps {
  logins: LoginRepository
  platforms: PlatformRepository
  tenancy: TenancyRepository
  sessions: SessionService
  verify: ReturnType<typeof createIdTokenVerifier>
  launchUrl: string
}

export interface LaunchOutcome { role: CourseRole, sessionToken: string, courseTitle: string, userName: string }

/**
 * The OIDC authentication response: the state must be one we issued, unused and bound to this browser; the
 * id_token must verify against it. Only then is anything written.
 */
export function createLaunchHandler (deps: LaunchDeps) {
  return async (body: LaunchBody, stateBoundToBrowser: boolean): Promise<LaunchOutcome> => {
    const login = await deps.logins.consume(body.state)
    if (!login) throw Errors.launchRefused('state is unknown, expired or already used')
    if (!stateBoundToBrowser) throw Errors.launchRefused('state was not issued to this browser')
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
    const launch = launchContextFrom(claims, reg.issuer, reg.clientId)
    const role = courseRoleFromLis(launch.roles)
    if (!role) throw Errors.launchRefused('none of your course roles (instructor, mentor, learner) can use Mentorlink', 403)

    const now = new Date()
    const course = await deps.tenancy.upsertCourse(launch.tenant, launch.course, now)
    const user = await deps.tenancy.upsertUser(launch.tenant, launch.user)
    await deps.tenancy.upsertMembership(course._id, user._id, role, launch.roles, now)
    const sessionToken = await deps.sessions.create(user._id, course._id, role)
    return { role, sessionToken, courseTitle: course.title, userName: user.name }
  }
}
