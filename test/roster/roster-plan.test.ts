import { rosterEntriesFrom, type ListedMember } from '../../src/domain/roster/roster-entries'
import { planRoster, type KnownMembership } from '../../src/domain/roster/roster-plan'

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'
const MENTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'
const member = (id: string, extra: Partial<ListedMember> = {}): ListedMember => ({ user_id: id, roles: [LEARNER], status: 'Active', ...extra })
const known = (id: string, status: 'active' | 'dropped', lastLaunchAt?: Date): KnownMembership<string> =>
  ({ userId: id, role: 'student', lisRoles: [LEARNER], status, lastLaunchAt })

describe('roster entries', () => {
  it('maps roles, keeps only shared profile fields and skips people Mentorlink has no role for', () => {
    const { entries, listed, skipped } = rosterEntriesFrom([
      member('a', { name: 'Ann Lee', email: 'ann@example.edu' }),
      member('b', { roles: [MENTOR], given_name: 'Bo', family_name: 'Ek' }),
      member('c', { roles: ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Staff'] }),
      member('d', { status: 'Inactive' })
    ])
    expect(listed).toBe(4)
    expect(skipped).toBe(1)
    expect(entries).toEqual([
      { sub: 'a', role: 'student', lisRoles: [LEARNER], active: true, profile: { name: 'Ann Lee', email: 'ann@example.edu' } },
      { sub: 'b', role: 'mentor', lisRoles: [MENTOR], active: true, profile: { name: 'Bo Ek', givenName: 'Bo', familyName: 'Ek' } },
      { sub: 'd', role: 'student', lisRoles: [LEARNER], active: false, profile: {} }
    ])
  })
})

describe('roster plan', () => {
  const started = new Date('2026-01-01T10:00:00Z')
  const listed = (...ms: ListedMember[]) => rosterEntriesFrom(ms).entries.map((entry) => ({ userId: entry.sub, entry }))

  it('adds, reactivates, drops inactive and missing members, and skips unchanged writes', () => {
    const plan = planRoster(
      listed(member('new'), member('back'), member('same'), member('gone-inactive', { status: 'Inactive' })),
      [known('back', 'dropped'), known('same', 'active'), known('gone-inactive', 'active'), known('missing', 'active'), known('long-gone', 'dropped')],
      started
    )
    expect(plan.counts).toEqual({ added: 1, reactivated: 1, dropped: 2 })
    expect(plan.writes.map((w) => [w.userId, w.status])).toEqual([['new', 'active'], ['back', 'active'], ['gone-inactive', 'dropped']])
    expect(plan.missing).toEqual(['missing'])
    expect(plan.dropped).toEqual(['gone-inactive', 'missing'])
  })

  it('keeps a member who launched after the snapshot started', () => {
    const plan = planRoster(listed(), [known('fresh', 'active', new Date(started.getTime() + 1)), known('stale', 'active', new Date(started.getTime() - 1))], started)
    expect(plan.missing).toEqual(['stale'])
  })

  it('rewrites a membership whose listed name or email changed, not one whose roster leaves them out', () => {
    const named = (id: string, name: string, email: string): KnownMembership<string> => ({ ...known(id, 'active'), name, email })
    const plan = planRoster(
      listed(member('renamed', { name: 'Ann Lee-Park', email: 'ann@example.edu' }), member('same', { name: 'Bo Ek', email: 'bo@example.edu' }), member('private'), member('legacy', { name: 'Cy Ng' })),
      [named('renamed', 'Ann Lee', 'ann@example.edu'), named('same', 'Bo Ek', 'bo@example.edu'), named('private', 'Di Ro', 'di@example.edu'), known('legacy', 'active')],
      started
    )
    expect(plan.writes.map((w) => [w.userId, w.profile])).toEqual([['renamed', { name: 'Ann Lee-Park', email: 'ann@example.edu' }], ['legacy', { name: 'Cy Ng' }]])
  })
})
