import type { Id } from '../ids'
import { dayOf } from '../term/calendar-day'
import { reportInputOf, studentProgressOf, type SourceRows } from '../progress/student-progress'
import type { ReportInput, ReportStudent } from './course-report'
import type { AttendanceRepository, CoursePeople, FieldTripRepository, Students, StudentRecordRepositories } from './ports'

/** Exactly what progress and the course report read: the record, attendance, live trips, and the people. */
export interface ProgressLoaderDeps {
  records: { [K in keyof StudentRecordRepositories]: Pick<StudentRecordRepositories[K], 'list'> }
  attendance: Pick<AttendanceRepository, 'ofCourse'>
  trips: Pick<FieldTripRepository, 'list'>
  people: CoursePeople
}

/** Reads what progress and the course report are computed from; the computing itself is pure (course-report.ts). */
export function createProgressLoader ({ records, attendance, trips, people }: ProgressLoaderDeps) {
  /** Live entries of the given students, and their attendance of trips still taking place. */
  const rows = async (courseId: Id, students: Students): Promise<SourceRows> => {
    const [activities, goals, reflections, contacts, marks, liveTrips] = await Promise.all([
      records.activities.list(courseId, students),
      records.goals.list(courseId, students),
      records.reflections.list(courseId, students),
      records.contacts.list(courseId, students),
      attendance.ofCourse(courseId),
      trips.list(courseId)
    ])
    const tripOf = new Map(liveTrips.map((t) => [t._id, t]))
    const wanted = students === 'all' ? null : new Set(students)
    const attended = marks.flatMap((r) => {
      const trip = tripOf.get(r.fieldTripId)
      return trip && (wanted === null || wanted.has(r.studentUserId)) ? [{ ...r, day: dayOf(trip.startsAt), startsAt: trip.startsAt.toISOString() }] : []
    })
    return { activities, goals, reflections, contacts, attendance: attended }
  }

  return {
    rows,

    /** Live entries of the given students, dates as days, read from the source records. */
    input: async (courseId: Id, students: Students): Promise<ReportInput> => reportInputOf(studentProgressOf(await rows(courseId, students))),

    /** The course's active students with their current mentor, and the pool's mentors (for filters). */
    students: async (courseId: Id, poolId: Id | null): Promise<{ students: ReportStudent[], mentors: Array<{ id: string, name: string }> }> => {
      const [members, paired, pool] = await Promise.all([
        people.members(courseId),
        people.activePairs(courseId),
        poolId !== null ? people.poolMentors(poolId) : Promise.resolve([])
      ])
      const mentorName = new Map(pool.map((m) => [m.id, m.name]))
      const mentorOf = new Map(paired.map((p) => [p.studentUserId, p.mentorId]))
      const students = members
        .filter((m) => m.role === 'student' && m.status === 'active')
        .map((m) => {
          const mentorId = mentorOf.get(m.userId) ?? null
          return { userId: m.userId, name: m.name, email: m.email, mentorId, mentorName: mentorId === null ? null : mentorName.get(mentorId) ?? null }
        })
      return { students, mentors: pool.map((m) => ({ id: m.id, name: m.name })) }
    }
  }
}

export type ProgressLoader = ReturnType<typeof createProgressLoader>
