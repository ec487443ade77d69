import { Errors } from '../../errors'
import type { EventPublisher } from '../events/domain-events'
import { sameId, type Id } from '../ids'
import { emailTaken } from './field-errors'
import { invitationStatusOf, type InvitationStatus } from './invitation-state'
import { readMentorCsv, writeMentorCsv, type RowError } from './mentor-csv'
import type { MentorChanges, MentorInput } from './mentor-fields'
import type { InvitationRepository, Mentor, MentorOrigin, MentorRepository, PoolCourse, PoolRepository } from './ports'

export interface PoolServiceDeps {
  pools: PoolRepository
  mentors: MentorRepository
  invitations: InvitationRepository
  /** Told `MentorDeactivated` after a deactivation is saved (the pairing code re-pairs their mentees). */
  events: EventPublisher
}
export type MentorView = Mentor & { invitation: InvitationStatus }
export type ImportOutcome = { ok: true, imported: number } | { ok: false, errors: RowError[] }

const EXTERNAL: MentorOrigin = { source: 'external' }

/** The mentors of a course's pool: listing, adding, editing, (de)activating, CSV import and export. */
export function createPoolService ({ pools, mentors, invitations, events }: PoolServiceDeps) {
  /** The course's pool id; the request's course object is updated too, so later calls need no second look-up. */
  const poolIdOf = async (course: PoolCourse): Promise<Id> => {
    const pool = await pools.ensureForCourse(course)
    course.poolId = pool.id
    return pool.id
  }
  const mustFind = async (course: PoolCourse, id: Id) => {
    const mentor = await mentors.find(await poolIdOf(course), id)
    if (!mentor) throw Errors.notFound('Mentor')
    return mentor
  }
  const withInvitations = async (list: Mentor[]): Promise<MentorView[]> => {
    const latest = await invitations.latestOf(list.map((m) => m.id))
    return list.map((m) => ({ ...m, invitation: invitationStatusOf(latest.get(m.id)) }))
  }
  /** A deactivated mentor can no longer sign in: open links are revoked and an external mentor's sessions end. */
  const signOut = async (mentor: Mentor) => {
    await invitations.revokeOpen(mentor.id, new Date())
    if (mentor.source === 'external' && mentor.userId) await invitations.endSessionsOf(mentor.userId)
  }

  const update = async (course: PoolCourse, id: Id, changes: MentorChanges): Promise<Mentor> => {
    const before = await mustFind(course, id)
    const updated = await mentors.update(before.poolId, before.id, changes)
    if (updated === 'duplicate') throw emailTaken()
    if (!updated) throw Errors.notFound('Mentor')
    if (before.active && !updated.active) {
      await signOut(updated)
      await events.publish({ type: 'MentorDeactivated', courseId: course.id, poolId: updated.poolId, mentorId: updated.id })
    }
    return updated
  }

  return {
    poolIdOf,
    list: async (course: PoolCourse, filter: { active?: boolean } = {}) => await withInvitations(await mentors.list(await poolIdOf(course), filter)),
    get: async (course: PoolCourse, id: Id): Promise<MentorView> => {
      const [view] = await withInvitations([await mustFind(course, id)])
      return view as MentorView
    },
    add: async (course: PoolCourse, input: MentorInput, origin: MentorOrigin = EXTERNAL): Promise<Mentor> => {
      const created = await mentors.create(await poolIdOf(course), input, origin)
      if (!created) throw emailTaken()
      return created
    },
    update,
    /** The pool entry of a signed-in mentor (null when they are not in the course's pool). */
    ownEntry: async (course: PoolCourse, userId: Id): Promise<Mentor | null> =>
      (await mentors.list(await poolIdOf(course))).find((m) => m.userId !== null && sameId(m.userId, userId)) ?? null,
    setActive: async (course: PoolCourse, id: Id, active: boolean) => await update(course, id, { active }),
    importCsv: async (course: PoolCourse, text: string): Promise<ImportOutcome> => {
      const poolId = await poolIdOf(course)
      const reading = readMentorCsv(text, await mentors.emails(poolId))
      if (!reading.ok) return reading
      if (await mentors.insertAll(poolId, reading.mentors, EXTERNAL) === 'ok') return { ok: true, imported: reading.mentors.length }
      // Someone added one of these emails meanwhile: checking again names the rows.
      const again = readMentorCsv(text, await mentors.emails(poolId))
      return again.ok ? { ok: false, errors: [{ line: 1, field: '(file)', message: 'could not be imported; please try again' }] } : again
    },
    exportCsv: async (course: PoolCourse) => writeMentorCsv(await mentors.list(await poolIdOf(course))),
    countActive: async (course: Pick<PoolCourse, 'poolId'>) => course.poolId ? await mentors.countActive(course.poolId) : 0
  }
}

export type PoolService = ReturnType<typeof createPoolService>
