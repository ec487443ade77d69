import type { SimRole } from './types'

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'

/** LIS context role URIs as Canvas sends them (a TA is an Instructor with a sub-role). */
const ROLE_URIS: Record<SimRole, string[]> = {
  Instructor: [`${MEMBERSHIP}#Instructor`],
  Learner: [`${MEMBERSHIP}#Learner`],
  Mentor: [`${MEMBERSHIP}#Mentor`],
  Administrator: [`${MEMBERSHIP}#Administrator`],
  TeachingAssistant: [`${MEMBERSHIP}#Instructor`, `${MEMBERSHIP}/Instructor#TeachingAssistant`]
}

export function roleUris (roles: SimRole[]): string[] {
  return [...new Set(roles.flatMap(r => ROLE_URIS[r]))]
}

/** NRPS `role` filter: accepts a full URI or a short context role name such as `Learner`. */
export function matchesRoleFilter (roles: SimRole[], filter: string): boolean {
  const wanted = filter.includes('://') ? filter : `${MEMBERSHIP}#${filter}`
  return roleUris(roles).includes(wanted)
}
