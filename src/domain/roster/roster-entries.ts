import { courseRoleFromLis, type CourseRole } from '../launch/roles'

/** What a roster source (NRPS) says about one person, in its own field names. */
export interface ListedMember {
  user_id: string
  roles: string[]
  status: 'Active' | 'Inactive' | 'Deleted'
  name?: string
  given_name?: string
  family_name?: string
  email?: string
}

/** The profile fields the platform chose to share; absent ones (privacy settings) are left as they are. */
export interface ProfileFields { name?: string, givenName?: string, familyName?: string, email?: string }

export interface RosterEntry {
  sub: string
  role: CourseRole
  lisRoles: string[]
  active: boolean
  profile: ProfileFields
}

export interface RosterEntries { entries: RosterEntry[], listed: number, skipped: number }

function profileOf (m: ListedMember): ProfileFields {
  const joined = [m.given_name, m.family_name].filter(Boolean).join(' ')
  const profile: ProfileFields = {
    name: m.name ?? (joined === '' ? undefined : joined),
    givenName: m.given_name,
    familyName: m.family_name,
    email: m.email
  }
  return Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined))
}

/**
 * One entry per listed person with a Mentorlink role. People whose roles Mentorlink cannot use (e.g. only an
 * institution role) are skipped, so they count as absent from the roster. A person listed twice (paging shifted
 * while the roster changed) keeps the last listing.
 */
export function rosterEntriesFrom (members: readonly ListedMember[]): RosterEntries {
  const bySub = new Map<string, RosterEntry>()
  let skipped = 0
  for (const m of members) {
    const role = courseRoleFromLis(m.roles)
    if (role === undefined) { skipped++; continue }
    bySub.set(m.user_id, { sub: m.user_id, role, lisRoles: m.roles, active: m.status === 'Active', profile: profileOf(m) })
  }
  return { entries: [...bySub.values()], listed: members.length, skipped }
}
