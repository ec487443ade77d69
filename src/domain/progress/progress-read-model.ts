import type { ReportInput } from '../activities/course-report'
import type { AttendanceRepository, CoursePeople, FieldTripRepository, Students, StudentRecordRepositories } from '../activities/ports'
import type { ProgressLoader } from '../activities/progress-loader'
import type { DomainEventType, EventOf, StudentRecordKind } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Id } from '../ids'
import type { CourseMember } from '../activities/ports'
import type { CourseRole } from '../launch/roles'
import { serialByKey } from '../serial-by-key'
import { dayOf } from '../term/calendar-day'
import type { ProgressStore, StudentDocument } from './ports'
import {
  activityEntry, goalEntry, menteeProgressOf, noteEntry, reportInputOf, studentProgressOf, summaryOf,
  type MenteeLine, type RecordEntry, type StudentProgress
} from './student-progress'

export interface ProgressReadModelDeps {
  store: ProgressStore
  /** Reads the source records, for (re)building a course. */
  source: Pick<ProgressLoader, 'rows'>
  records: { [K in keyof StudentRecordRepositories]: Pick<StudentRecordRepositories[K], 'find'> }
  trips: Pick<FieldTripRepository, 'find'>
  attendance: Pick<AttendanceRepository, 'ofTrip'>
  /** Who is paired with whom, and the names mentors see. */
  people: Pick<CoursePeople, 'activePairs' | 'members'>
}

/** The events after which an entry of one student's record may read differently, and which entry. */
export const RECORD_EVENTS = ['RecordCreated', 'RecordChanged', 'RecordRemoved', 'ActivityVerified', 'ActivityReturned', 'GoalProgressed'] as const satisfies readonly DomainEventType[]
/** The events after which a trip's attendance may count differently (marked, moved to another day, cancelled). */
export const TRIP_EVENTS = ['AttendanceMarked', 'CheckedIn', 'TripChanged', 'TripCancelled'] as const satisfies readonly DomainEventType[]

/** The events after which a student may have another mentor (or none), or a mentor's list may name someone differently. */
export const PAIR_EVENTS = ['PairingPublished', 'StudentPlaced', 'PairMoved', 'PairReleased', 'StudentsDropped', 'MentorDeactivated', 'RosterSynced'] as const satisfies readonly DomainEventType[]

type RecordEvent = EventOf<typeof RECORD_EVENTS[number]>
const noProgress = (studentUserId: Id): StudentProgress => ({ studentUserId, records: {}, trips: {} })

const kindOf = (event: RecordEvent): StudentRecordKind =>
  'kind' in event ? event.kind : event.type === 'GoalProgressed' ? 'goal' : 'activity'

/**
 * Students' progress kept up to date by the domain events, so that pages read a few documents by id instead of
 * the course's whole record. A course is built from the source records the first time it is read (or when asked
 * to rebuild); each event then re-reads only the entry it names, by id, so applying one twice is harmless.
 * Changes to one course are applied one at a time in this process.
 */
export function createProgressReadModel ({ store, source, records, trips, attendance, people }: ProgressReadModelDeps) {
  const serial = serialByKey()
  const built = new Set<Id>()

  /** Each mentor's list of mentees: the roster's names, the read model's progress. */
  const menteeLists = (members: readonly CourseMember[], pairs: ReadonlyArray<{ studentUserId: Id, mentorId: Id }>, progressOf: (studentUserId: Id) => StudentProgress) => {
    const names = new Map(members.map((m) => [m.userId, m]))
    const lists: Record<Id, Record<Id, MenteeLine>> = {}
    for (const { studentUserId, mentorId } of pairs) {
      const member = names.get(studentUserId)
      lists[mentorId] ??= {}
      lists[mentorId][studentUserId] = { name: member?.name || member?.email || 'Unnamed', email: member?.email ?? '', ...menteeProgressOf(progressOf(studentUserId)) }
    }
    return lists
  }

  const activeRoles = (members: readonly CourseMember[]): Record<Id, CourseRole> =>
    Object.fromEntries(members.filter((m) => m.status === 'active').map((m) => [m.userId, m.role]))

  const buildNow = async (courseId: Id): Promise<void> => {
    const [rows, pairs, members] = await Promise.all([source.rows(courseId, 'all'), people.activePairs(courseId), people.members(courseId)])
    const progress = new Map(studentProgressOf(rows).map((p) => [p.studentUserId, p]))
    const mentorOf = new Map(pairs.map((p) => [p.studentUserId, p.mentorId]))
    const progressOf = (id: Id): StudentProgress => progress.get(id) ?? noProgress(id)
    const students = [...new Set([...progress.keys(), ...mentorOf.keys()])].map((id): StudentDocument => ({ progress: progressOf(id), mentorId: mentorOf.get(id) ?? null }))
    const summaries = students.flatMap(({ progress: p }) => { const summary = summaryOf(p); return summary ? [[p.studentUserId, summary] as const] : [] })
    await store.replaceCourse(courseId, { students, summaries: Object.fromEntries(summaries), members: activeRoles(members), mentees: menteeLists(members, pairs, progressOf) })
    built.add(courseId)
  }
  const isBuilt = async (courseId: Id): Promise<boolean> => {
    if (built.has(courseId)) return true
    if (!await store.isBuilt(courseId)) return false
    built.add(courseId)
    return true
  }
  /** Built, with the changes already announced applied: a read right after an event sees it. */
  const ensureBuilt = async (courseId: Id): Promise<void> => {
    await serial.idle(courseId)
    if (await isBuilt(courseId)) return
    await serial(courseId, async () => { if (!await isBuilt(courseId)) await buildNow(courseId) })
  }
  /**
   * An unbuilt course needs no update: its build will read the change from the source. An update that fails leaves
   * the course unbuilt, so the next read rebuilds it rather than show what the failure left behind.
   */
  const whenBuilt = async (courseId: Id, change: () => Promise<void>): Promise<void> => {
    await serial(courseId, async () => {
      if (!await isBuilt(courseId)) return
      try {
        await change()
      } catch (err) {
        built.delete(courseId)
        await store.forgetCourse(courseId)
        throw err
      }
    })
  }

  const currentEntry = async (kind: StudentRecordKind, courseId: Id, recordId: Id): Promise<RecordEntry | null> => {
    if (kind === 'activity') {
      const activity = await records.activities.find(courseId, recordId)
      return activity ? activityEntry(activity) : null
    }
    if (kind === 'goal') {
      const goal = await records.goals.find(courseId, recordId)
      return goal ? goalEntry(goal) : null
    }
    const note = await (kind === 'reflection' ? records.reflections : records.contacts).find(courseId, recordId)
    return note ? noteEntry(kind) : null
  }

  /** After a change to a student's document: what their mentor's list shows follows it. */
  const followMentor = async (courseId: Id, { progress, mentorId }: StudentDocument): Promise<void> => {
    if (mentorId !== null) await store.setMenteeProgress(courseId, mentorId, progress.studentUserId, menteeProgressOf(progress))
  }

  const applyRecord = async (event: RecordEvent): Promise<void> => {
    const { courseId, studentUserId, recordId } = event
    await whenBuilt(courseId, async () => {
      const doc = await store.setRecord(courseId, studentUserId, recordId, await currentEntry(kindOf(event), courseId, recordId))
      await store.setSummary(courseId, studentUserId, summaryOf(doc.progress))
      await followMentor(courseId, doc)
    })
  }

  const applyTrip = async ({ courseId, tripId }: { courseId: Id, tripId: Id }): Promise<void> => {
    await whenBuilt(courseId, async () => {
      const [trip, marks] = await Promise.all([trips.find(courseId, tripId), attendance.ofTrip(tripId)])
      for (const mark of marks) {
        await followMentor(courseId, await store.setTrip(courseId, mark.studentUserId, tripId, trip ? { day: dayOf(trip.startsAt), status: mark.status } : null))
      }
    })
  }

  /** Compares the pairing with the one last recorded, and rewrites the lists of the mentors whose mentees changed. */
  const applyPairs = async ({ courseId }: { courseId: Id }): Promise<void> => {
    await whenBuilt(courseId, async () => {
      const [current, known] = await Promise.all([people.activePairs(courseId), store.pairs(courseId)])
      const now = new Map(current.map((p) => [p.studentUserId, p.mentorId]))
      const changes = [
        ...current.filter((p) => known[p.studentUserId] !== p.mentorId),
        ...Object.keys(known).filter((s) => !now.has(s)).map((studentUserId) => ({ studentUserId, mentorId: null }))
      ]
      if (changes.length === 0) return
      await store.setPairs(courseId, changes)
      const touched = new Set(changes.flatMap((c) => [known[c.studentUserId], c.mentorId]).filter((m): m is Id => m !== undefined && m !== null))
      const pairs = current.filter((p) => touched.has(p.mentorId))
      const progress = new Map((await store.ofStudents(courseId, pairs.map((p) => p.studentUserId))).map((p) => [p.studentUserId, p]))
      const lists = menteeLists(await people.members(courseId), pairs, (id) => progress.get(id) ?? noProgress(id))
      for (const mentorId of touched) await store.replaceMentees(courseId, mentorId, lists[mentorId] ?? {})
    })
  }

  const applyJoined = async ({ courseId, userId, role }: EventOf<'MemberJoined'>): Promise<void> => {
    await whenBuilt(courseId, async () => { await store.setMember(courseId, userId, role) })
  }
  const applyRoster = async ({ courseId }: { courseId: Id }): Promise<void> => {
    await whenBuilt(courseId, async () => { await store.replaceMembers(courseId, activeRoles(await people.members(courseId))) })
  }

  return {
    /** Same answer as the progress loader's `input`, from the read model. */
    input: async (courseId: Id, students: Students): Promise<ReportInput> => {
      await ensureBuilt(courseId)
      return reportInputOf(await store.ofStudents(courseId, students))
    },

    /** One student's progress (as `input` answers it) and their pool mentor's id (null when unpaired). */
    student: async (courseId: Id, studentUserId: Id): Promise<{ input: ReportInput, mentorId: Id | null }> => {
      await ensureBuilt(courseId)
      const doc = await store.ofStudent(courseId, studentUserId)
      return { input: reportInputOf(doc ? [doc.progress] : []), mentorId: doc?.mentorId ?? null }
    },

    /** The mentees of a mentor's pool entries (one per pool the course uses), by student id. */
    mentees: async (courseId: Id, mentorIds: readonly Id[]): Promise<Map<Id, MenteeLine>> => {
      await ensureBuilt(courseId)
      return await store.mentees(courseId, mentorIds)
    },

    /**
     * The course at a glance: per student id, activities recorded and waiting for verification (students without any
     * are absent), and the user ids of its active members by role.
     */
    overview: async (courseId: Id) => {
      await ensureBuilt(courseId)
      const course = await store.course(courseId)
      const members: Record<CourseRole, Id[]> = { instructor: [], mentor: [], student: [] }
      for (const [userId, role] of Object.entries(course?.members ?? {})) members[role].push(userId)
      return { summaries: course?.summaries ?? {}, members }
    },

    /** Rebuilds a course from the source records: the repair for anything an update missed. */
    rebuild: async (courseId: Id): Promise<void> => { await serial(courseId, async () => { await buildNow(courseId) }) },

    subscribe: (bus: Pick<EventBus, 'subscribe'>): Array<() => void> => [
      bus.subscribe(RECORD_EVENTS, applyRecord),
      bus.subscribe(TRIP_EVENTS, applyTrip),
      bus.subscribe(PAIR_EVENTS, applyPairs),
      bus.subscribe('MemberJoined', applyJoined),
      bus.subscribe('RosterSynced', applyRoster)
    ]
  }
}

export type ProgressReadModel = ReturnType<typeof createProgressReadModel>
