import type { Types } from 'mongoose'
import type { StudentRecordRepositories } from '../../persistence/repositories/activity.repository'
import type { AttendanceRepository } from '../../persistence/repositories/attendance.repository'
import type { FieldTripRepository } from '../../persistence/repositories/field-trip.repository'
import type { MentorRepository } from '../pools/ports'
import type { PairingRepository } from '../../persistence/repositories/pairing.repository'
import type { RosterRepository } from '../../persistence/repositories/roster.repository'
import type { Students } from '../../persistence/repositories/student-record.repository'
import { dayOf } from '../term/calendar-day'
import type { ReportInput, ReportStudent } from './course-report'

type Id = Types.ObjectId

export interface ProgressLoaderDeps {
  records: StudentRecordRepositories
  attendance: Pick<AttendanceRepository, 'ofCourse'>
  trips: Pick<FieldTripRepository, 'list'>
  roster: Pick<RosterRepository, 'listMembers'>
  pairings: Pick<PairingRepository, 'activeForCourse'>
  mentors: Pick<MentorRepository, 'list'>
}

/** Reads what progress and the course report are computed from; the computing itself is pure (course-report.ts). */
export function createProgressLoader ({ records, attendance, trips, roster, pairings, mentors }: ProgressLoaderDeps) {
  return {
    /** Live entries of the given students, ids as strings and dates as days. */
    input: async (courseId: Id, students: Students): Promise<ReportInput> => {
      const [activities, goals, reflections, contacts, rows, liveTrips] = await Promise.all([
        records.activities.list(courseId, students),
        records.goals.list(courseId, students),
        records.reflections.list(courseId, students),
        records.contacts.list(courseId, students),
        attendance.ofCourse(courseId),
        trips.list(courseId)
      ])
      const tripDay = new Map(liveTrips.map((t) => [String(t._id), dayOf(t.startsAt)]))
      const wanted = students === 'all' ? null : new Set(students.map(String))
      const attended = rows.filter((r) => tripDay.has(String(r.fieldTripId)) && (wanted === null || wanted.has(String(r.studentUserId))))
      const who = (e: { studentUserId: Id }) => ({ studentUserId: String(e.studentUserId) })
      return {
        activities: activities.map((a) => ({ ...who(a), kind: a.kind, status: a.status, skill: a.skill ?? null, date: dayOf(a.date) })),
        goals: goals.map((g) => ({ ...who(g), horizon: g.horizon, status: g.status })),
        reflections: reflections.map(who),
        contacts: contacts.map(who),
        attendance: attended.map((r) => ({ ...who(r), status: r.status })),
        attendedOn: attended.filter((r) => r.status === 'present').map((r) => ({ ...who(r), date: tripDay.get(String(r.fieldTripId)) as string }))
      }
    },

    /** The course's active students with their current mentor, and the pool's mentors (for filters). */
    students: async (course: { _id: Id, poolId?: Id | null }): Promise<{ students: ReportStudent[], mentors: Array<{ id: string, name: string }> }> => {
      const [members, paired, pool] = await Promise.all([
        roster.listMembers(course._id),
        pairings.activeForCourse(course._id),
        course.poolId ? mentors.list(String(course.poolId)) : Promise.resolve([])
      ])
      const mentorName = new Map(pool.map((m) => [m.id, m.name]))
      const mentorOf = new Map(paired.map((p) => [String(p.studentUserId), String(p.mentorId)]))
      const students = members
        .filter((m) => m.role === 'student' && m.status === 'active')
        .map((m) => {
          const mentorId = mentorOf.get(String(m.userId)) ?? null
          return { userId: String(m.userId), name: m.name, email: m.email, mentorId, mentorName: mentorId === null ? null : mentorName.get(mentorId) ?? null }
        })
      return { students, mentors: pool.map((m) => ({ id: m.id, name: m.name })) }
    }
  }
}

export type ProgressLoader = ReturnType<typeof createProgressLoader>
