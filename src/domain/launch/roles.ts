export type CourseRole = 'instructor' | 'mentor' | 'student'

const CONTEXT = 'http://purl.imsglobal.org/vocab/lis/v2/membership#'
const CONTEXT_SUBROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership/'
const ADMIN_ROLES = new Set([
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin'
])

const TEST_USER = 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser'

/** The LMS's test user, e.g. Canvas's Student View: a Learner the LMS will not grade. */
export function isTestUser (roles: readonly string[]): boolean {
  return roles.includes(TEST_USER)
}

/** The context role a LIS role URI (or a deprecated short name) stands for, e.g. "Instructor". */
function contextRoleOf (uri: string): string | undefined {
  if (uri.startsWith(CONTEXT)) return uri.slice(CONTEXT.length)
  if (uri.startsWith(CONTEXT_SUBROLE)) return uri.slice(CONTEXT_SUBROLE.length).split('#')[0]
  if (/^[A-Z][A-Za-z]+$/.test(uri)) return uri
  return undefined
}

/**
 * Maps the launch's roles to one Mentorlink role. Context roles decide; an institution or system administrator
 * with no context role is treated as an instructor so support staff can set a course up.
 */
export function courseRoleFromLis (roles: readonly string[]): CourseRole | undefined {
  const context = new Set(roles.map(contextRoleOf).filter((r): r is string => r !== undefined))
  if (context.has('Instructor') || context.has('Administrator') || context.has('ContentDeveloper')) return 'instructor'
  if (context.has('Mentor')) return 'mentor'
  if (context.has('Learner')) return 'student'
  if (context.size === 0 && roles.some((r) => ADMIN_ROLES.has(r))) return 'instructor'
  return undefined
}
