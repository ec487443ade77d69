import type { Auth } from '../../auth/require-session'
import { createAccess, type Actor } from '../../domain/activities/access'
import { createActivityService } from '../../domain/activities/activity-records'
import { createAttendanceService } from '../../domain/activities/field-trip-attendance'
import { createFieldTripService } from '../../domain/activities/field-trip-service'
import { createGoalService } from '../../domain/activities/goal-records'
import { createContactService, createReflectionService } from '../../domain/activities/note-records'
import { createProgressLoader } from '../../domain/activities/progress-loader'
import type { EventPublisher } from '../../domain/events/domain-events'
import type { Id } from '../../domain/ids'
import { termOf } from '../../domain/term/term'
import { createTermService } from '../../domain/term/term-service'
import type { Models } from '../../persistence/database'
import { createStudentRecordRepositories } from '../../persistence/repositories/activity.repository'
import { createAttendanceRepository } from '../../persistence/repositories/attendance.repository'
import { createAuditRepository } from '../../persistence/repositories/audit.repository'
import { createCoursePeople } from '../../persistence/repositories/course-people.repository'
import { createFieldTripRepository } from '../../persistence/repositories/field-trip.repository'
import { createMentorRepository } from '../../persistence/repositories/mentor.repository'
import { createPairingRepository } from '../../persistence/repositories/pairing.repository'
import { createRsvpRepository } from '../../persistence/repositories/rsvp.repository'
import { createRosterRepository } from '../../persistence/repositories/roster.repository'
import { createTermRepository } from '../../persistence/repositories/term.repository'

/** Who is asking, as the activity services take it: the signed-in launch plus the course's term. */
export const actorOf = ({ course, user, role }: Auth): Actor => ({ courseId: String(course._id), userId: String(user._id), role, term: termOf(course) })

/** The pool a course's mentors come from, if it has one yet. */
export const poolIdOf = ({ course }: Auth): Id | null => course.poolId ? String(course.poolId) : null

/** Builds everything the activity pages and API use from the database models; changes are published on `events`. */
export function buildActivityServices (models: Models, events: EventPublisher) {
  const pairings = createPairingRepository(models)
  const access = createAccess(pairings)
  const audit = createAuditRepository(models)
  const records = createStudentRecordRepositories(models)
  const tripRepo = createFieldTripRepository(models)
  const attendanceRepo = createAttendanceRepository(models)
  const rsvps = createRsvpRepository(models)
  const people = createCoursePeople({ roster: createRosterRepository(models), pairings, mentors: createMentorRepository(models) })
  const deps = { access, audit, events }
  const activeStudents = async (courseId: Id) =>
    (await people.members(courseId)).filter((m) => m.role === 'student' && m.status === 'active').map((m) => m.userId)
  const namesOf = async (courseId: Id, role?: 'student') =>
    new Map((await people.members(courseId)).filter((m) => role === undefined || m.role === role).map((m) => [m.userId, m.name || m.email || 'Unnamed']))
  const trips = createFieldTripService({ trips: tripRepo, rsvps, access, audit, events, courseStudents: activeStudents })
  return {
    access,
    audit,
    activities: createActivityService(records.activities, deps),
    goals: createGoalService(records.goals, deps),
    contacts: createContactService(records.contacts, deps),
    reflections: createReflectionService(records.reflections, records.activities, deps),
    trips,
    attendance: createAttendanceService({ trips, tripRepo, rsvps, attendance: attendanceRepo, events }),
    rsvps,
    attendanceRecords: attendanceRepo,
    progress: createProgressLoader({ records, attendance: attendanceRepo, trips: tripRepo, people }),
    term: createTermService({ terms: createTermRepository(models), audit }),
    activeStudents,
    /** Names of everyone in a course by user id, for pages. */
    names: async (courseId: Id) => await namesOf(courseId),
    /** Names of the course's students (dropped ones too, whose records stay readable), by user id. */
    studentNames: async (courseId: Id) => await namesOf(courseId, 'student')
  }
}

export type ActivityServices = ReturnType<typeof buildActivityServices>
