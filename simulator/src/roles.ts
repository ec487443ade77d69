import { createHash } from 'node:crypto'
import type { SimRole } from './types'

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'
const TEST_USER = 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser'

/** LIS context role URIs as Canvas sends them (a TA is an Instructor with a sub-role, an observer a Mentor). */
const ROLE_URIS: Record<SimRole, string[]> = {
  Instructor: [`${MEMBERSHIP}#Instructor`],
  Learner: [`${MEMBERSHIP}#Learner`],
  Mentor: [`${MEMBERSHIP}#Mentor`],
  Observer: [`${MEMBERSHIP}#Mentor`],
  TestStudent: [`${MEMBERSHIP}#Learner`],
  Administrator: [`${MEMBERSHIP}#Administrator`],
  TeachingAssistant: [`${MEMBERSHIP}#Instructor`, `${MEMBERSHIP}/Instructor#TeachingAssistant`]
}

/** Context role URIs, as Names and Roles lists them. */
export function roleUris (roles: SimRole[]): string[] {
  return [...new Set(roles.flatMap(r => ROLE_URIS[r]))]
}

/** The roles a launch carries: the context roles, plus the TestUser system role for Canvas's Student View. */
export function launchRoleUris (roles: SimRole[]): string[] {
  return roles.includes('TestStudent') ? [...roleUris(roles), TEST_USER] : roleUris(roles)
}

/** NRPS `role` filter: accepts a full URI or a short context role name such as `Learner`. */
export function matchesRoleFilter (roles: SimRole[], filter: string): boolean {
  const wanted = filter.includes('://') ? filter : `${MEMBERSHIP}#${filter}`
  return roleUris(roles).includes(wanted)
}

/** A user's LTI 1.1 id, which Canvas lists as `lti11_legacy_user_id` and uses in `role_scope_mentor`. */
export function legacyUserId (userId: string): string {
  return createHash('sha1').update(`lti11:${userId}`).digest('hex')
}
