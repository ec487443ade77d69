import type { ReportInput } from '../activities/course-report'
import type { AttendanceRepository, CourseMember, CoursePeople, FieldTripRepository, Students, StudentRecordRepositories } from '../activities/ports'
import type { ProgressLoader } from '../activities/progress-loader'
import type { DomainEventType, EventOf, StudentRecordKind } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Id } from '../ids'
import { serialByKey } from '../serial-by-key'
import { dayOf } from '../term/calendar-day'
import { menteeProgressOfLine, noTotals, studentLineOf, type CourseTable, type CourseTotals, type TableRow } from './course-table'
import type { ProgressStore, RowChange, StudentDocument } from './ports'
import {
  activityEntry, goalEntry, menteeProgressOf, noteEntry, reportInputOf, studentProgressOf,
  type MenteeLine, type MenteeProgress, type RecordEntry, type StudentProgress
} from './student-progress'

export interface ProgressReadModelDeps {
  store: ProgressStore
  /** Reads the source records, for (re)building a course. */
  source: Pick<ProgressLoader, 'rows'>
  records: { [K in keyof StudentRecordRepositories]: Pick<StudentRecordRepositories[K], 'find'> }
  trips: Pick<FieldTripRepository, 'find'>
  attendance: Pick<AttendanceRepository, 'ofTrip'>
  /** Who is in the course, who is paired with whom, and the names pages show. */
  people: Pick<CoursePeople, 'activePairs' | 'members' | 'member'>
  /**
   * Runs a course's build or update alone across every process (a lease in the database): each reads a part of the
   * course's documents and writes it back, so two at once in different processes would lose one's change.
   */
  exclusive: <T>(courseId: Id, work: () => Promise<T>) => Promise<T>
}

/** The events after which an entry of one student's record may read differently, and which entry. */
export const RECORD_EVENTS = ['RecordCreated', 'RecordChanged', 'RecordRemoved', 'ActivityVerified', 'ActivityReturned', 'GoalProgressed'] as const satisfies readonly DomainEventType[]
/** The events after which a trip's attendance may count differently (marked, moved to another day, cancelled, begun). */
export const TRIP_EVENTS = ['AttendanceMarked', 'CheckedIn', 'TripChanged', 'TripCancelled', 'TripStarted'] as const satisfies readonly DomainEventType[]

/**
 * The events after which a student may have another mentor (or none). A roster sync changes pairs only through the
 * releases and placements it leads to, which are announced themselves.
 */
export const PAIR_EVENTS = ['PairingPublished', 'PairingUnpublished', 'StudentPlaced', 'StudentsPlaced', 'PairMoved', 'PairReleased', 'StudentsDropped', 'MentorDeactivated'] as const satisfies readonly DomainEventType[]

type RecordEvent = EventOf<typeof RECORD_EVENTS[number]>
const noProgress = (studentUserId: Id): StudentProgress => ({ studentUserId, records: {}, trips: {} })
/** Beyond this many changed rows, the whole course table (already read) is written at once. */
const MANY = 50

const kindOf = (event: RecordEvent): StudentRecordKind =>
  'kind' in event ? event.kind : event.type === 'GoalProgressed' ? 'goal' : 'activity'

/**
 * Students' progress kept up to date by the domain events, so that pages read a few documents by id instead of
 * the course's whole record. A course is built from the source records the first time it is read (or when asked
 * to rebuild); each event then re-reads only the entry it names, by id, so applying one twice is harmless.
 * Changes to one course are applied one at a time: in order within this process, and under the course's lease
 * across processes.
 */
export function createProgressReadModel ({ store, source, records, trips, attendance, people, exclusive }: ProgressReadModelDeps) {
  const serial = serialByKey()
  const built = new Set<Id>()
  /** Courses whose update failed here: unbuilt until rebuilt, even if forgetting them in the database failed too. */
  const broken = new Set<Id>()

  /** Each mentor's list of mentees: the roster's names, the read model's progress. */
  const menteeLists = (names: ReadonlyMap<Id, Pick<CourseMember, 'name' | 'email'>>, pairs: ReadonlyArray<{ studentUserId: Id, mentorId: Id }>, progressOf: (studentUserId: Id) => MenteeProgress) => {
    const lists: Record<Id, Record<Id, MenteeLine>> = {}
    for (const { studentUserId, mentorId } of pairs) {
      const member = names.get(studentUserId)
      lists[mentorId] ??= {}
      lists[mentorId][studentUserId] = { name: member?.name || member?.email || 'Unnamed', email: member?.email ?? '', ...progressOf(studentUserId) }
    }
    return lists
  }

  const rowOf = (member: Pick<CourseMember, 'role' | 'name' | 'email' | 'testUser'>, active: boolean, doc: StudentDocument | null): TableRow => ({
    role: member.role, active, testUser: member.testUser, name: member.name, email: member.email,
    mentorId: member.role === 'student' ? doc?.mentorId ?? null : null,
    line: member.role === 'student' && doc ? studentLineOf(doc.progress) : null
  })

  const buildNow = async (courseId: Id): Promise<void> => {
    const [rows, pairs, members] = await Promise.all([source.rows(courseId, 'all'), people.activePairs(courseId), people.members(courseId)])
    const progress = new Map(studentProgressOf(rows).map((p) => [p.studentUserId, p]))
    const mentorOf = new Map(pairs.map((p) => [p.studentUserId, p.mentorId]))
    const progressOf = (id: Id): StudentProgress => progress.get(id) ?? noProgress(id)
    const students = [...new Set([...progress.keys(), ...mentorOf.keys()])].map((id): StudentDocument => ({ progress: progressOf(id), mentorId: mentorOf.get(id) ?? null }))
    const docs = new Map(students.map((d) => [d.progress.studentUserId, d]))
    const table = new Map<Id, TableRow>()
    for (const m of members) table.set(m.userId, rowOf(m, m.status === 'active', docs.get(m.userId) ?? null))
    await store.replaceCourse(courseId, { students, table, mentees: menteeLists(table, pairs, (id) => menteeProgressOf(progressOf(id))) })
    broken.delete(courseId)
    built.add(courseId)
  }
  const isBuilt = async (courseId: Id): Promise<boolean> => {
    if (broken.has(courseId)) return false
    if (built.has(courseId)) return true
    if (!await store.isBuilt(courseId)) return false
    built.add(courseId)
    return true
  }
  /**
   * Whether the course is built, asked under its lease: a build in another process has then either finished (and a
   * change applies on top of it) or not begun (and will read the change from the source records).
   */
  const builtNow = async (courseId: Id): Promise<boolean> => {
    const answer = !broken.has(courseId) && await store.isBuilt(courseId)
    if (answer) built.add(courseId)
    else built.delete(courseId)
    return answer
  }
  /** Built, with the changes already announced applied: a read right after an event sees it. */
  const ensureBuilt = async (courseId: Id): Promise<void> => {
    await serial.idle(courseId)
    if (await isBuilt(courseId)) return
    await serial(courseId, async () => { await exclusive(courseId, async () => { if (!await builtNow(courseId)) await buildNow(courseId) }) })
  }
  /**
   * An unbuilt course needs no update: its build will read the change from the source. An update that fails leaves
   * the course unbuilt, so the next read rebuilds it rather than show what the failure left behind.
   */
  const whenBuilt = async (courseId: Id, change: () => Promise<void>): Promise<void> => {
    await serial(courseId, async () => {
      try {
        await exclusive(courseId, async () => { if (await builtNow(courseId)) await change() })
      } catch (err) {
        built.delete(courseId)
        broken.add(courseId)
        // A busy database may refuse this too; `broken` still has this process rebuild the course on its next read.
        await store.forgetCourse(courseId).catch(() => undefined)
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

  /** After changes to students' documents: their lines in the course table and in their mentors' lists follow. */
  const follow = async (courseId: Id, docs: readonly StudentDocument[]): Promise<void> => {
    await store.updateRows(courseId, new Map(docs.map((doc) => [doc.progress.studentUserId, (row) => row ? { ...row, line: studentLineOf(doc.progress) } : null])))
    for (const { progress, mentorId } of docs) {
      if (mentorId !== null) await store.setMenteeProgress(courseId, mentorId, progress.studentUserId, menteeProgressOf(progress))
    }
  }

  const applyRecord = async (event: RecordEvent): Promise<void> => {
    const { courseId, studentUserId, recordId } = event
    await whenBuilt(courseId, async () => {
      await follow(courseId, [await store.setRecord(courseId, studentUserId, recordId, await currentEntry(kindOf(event), courseId, recordId))])
    })
  }

  const applyTrip = async ({ courseId, tripId }: { courseId: Id, tripId: Id }): Promise<void> => {
    await whenBuilt(courseId, async () => {
      const [trip, marks] = await Promise.all([trips.find(courseId, tripId), attendance.ofTrip(tripId)])
      const docs: StudentDocument[] = []
      for (const mark of marks) docs.push(await store.setTrip(courseId, mark.studentUserId, tripId, trip ? { day: dayOf(trip.startsAt), status: mark.status, startsAt: trip.startsAt.toISOString() } : null))
      await follow(courseId, docs)
    })
  }

  /** Changes rows of a table just read: a few through the store's update, many by writing the whole table at once. */
  const changeRows = async (courseId: Id, table: CourseTable, changes: ReadonlyMap<Id, RowChange>): Promise<void> => {
    if (changes.size <= MANY) {
      if (changes.size > 0) await store.updateRows(courseId, changes)
      return
    }
    const next = new Map(table)
    for (const [userId, change] of changes) {
      const row = change(table.get(userId))
      if (row === null) next.delete(userId)
      else next.set(userId, row)
    }
    await store.replaceTable(courseId, next)
  }

  /**
   * Records pairing changes in the students' documents and the course table, and rewrites the lists of the mentors
   * whose mentees changed. The table's mentors (as changed) are the course's active pairs, and its lines say what the
   * mentee lists show, so nothing else is read.
   */
  const recordPairChanges = async (courseId: Id, table: CourseTable, changes: ReadonlyArray<{ studentUserId: Id, mentorId: Id | null }>): Promise<void> => {
    if (changes.length === 0) return
    const changed = new Map(changes.map((c) => [c.studentUserId, c.mentorId]))
    const touched = new Set(changes.flatMap((c) => [table.get(c.studentUserId)?.mentorId, c.mentorId]).filter((m): m is Id => m !== undefined && m !== null))
    const pairs: Array<{ studentUserId: Id, mentorId: Id }> = []
    for (const studentUserId of new Set([...table.keys(), ...changed.keys()])) {
      const mentorId = changed.has(studentUserId) ? changed.get(studentUserId) : table.get(studentUserId)?.mentorId
      if (mentorId != null && touched.has(mentorId)) pairs.push({ studentUserId, mentorId })
    }
    const lists = menteeLists(table, pairs, (id) => menteeProgressOfLine(table.get(id)?.line ?? null))
    // Three sets of documents, each written from what was read before: side by side.
    await Promise.all([
      store.setPairs(courseId, changes),
      changeRows(courseId, table, new Map(changes.map(({ studentUserId, mentorId }) => [studentUserId, (row: TableRow | undefined): TableRow =>
        row ? { ...row, mentorId } : { role: 'student', active: false, testUser: false, name: '', email: '', mentorId, line: null }]))),
      store.replaceMentees(courseId, Object.fromEntries([...touched].map((mentorId) => [mentorId, lists[mentorId] ?? {}])))
    ])
  }

  /** Compares the pairing with the one the course table last recorded, and records the differences. */
  const applyPairs = async (event: { courseId: Id, type: string, placed?: ReadonlyArray<{ studentUserId: Id, mentorId: Id }> }): Promise<void> => {
    const { courseId } = event
    await whenBuilt(courseId, async () => {
      // A publication or placement that says which pairs it wrote only added those: no need to read every pair of the course.
      if ((event.type === 'PairingPublished' || event.type === 'StudentsPlaced') && event.placed !== undefined) {
        const table = await store.table(courseId)
        await recordPairChanges(courseId, table, event.placed.filter((p) => table.get(p.studentUserId)?.mentorId !== p.mentorId))
        return
      }
      const [current, table] = await Promise.all([people.activePairs(courseId), store.table(courseId)])
      const now = new Map(current.map((p) => [p.studentUserId, p.mentorId]))
      await recordPairChanges(courseId, table, [
        ...current.filter((p) => table.get(p.studentUserId)?.mentorId !== p.mentorId),
        ...[...table].filter(([userId, row]) => row.mentorId !== null && !now.has(userId)).map(([studentUserId]) => ({ studentUserId, mentorId: null }))
      ])
    })
  }

  /** Someone joined (or came back, or changed role): their row, with a student's line and mentor from their document. */
  const applyJoined = async ({ courseId, userId, role }: EventOf<'MemberJoined'>): Promise<void> => {
    await whenBuilt(courseId, async () => {
      const [member, doc] = await Promise.all([people.member(courseId, userId), role === 'student' ? store.ofStudent(courseId, userId) : null])
      await store.updateRows(courseId, new Map([[userId, () => rowOf({ name: '', email: '', testUser: false, ...member, role }, true, doc)]]))
    })
  }

  /** After a roster sync: the table's members, names, roles and statuses as the roster now has them. */
  const applyRoster = async ({ courseId }: { courseId: Id }): Promise<void> => {
    await whenBuilt(courseId, async () => {
      const [members, table] = await Promise.all([people.members(courseId), store.table(courseId)])
      const joined = members.filter((m) => !table.has(m.userId))
      const docs = new Map((await store.ofStudents(courseId, joined.filter((m) => m.role === 'student').map((m) => m.userId))).map((d) => [d.progress.studentUserId, d]))
      const changes = new Map<Id, RowChange>()
      for (const m of members) {
        const row = table.get(m.userId)
        const active = m.status === 'active'
        if (row === undefined) changes.set(m.userId, () => rowOf(m, active, docs.get(m.userId) ?? null))
        else if (m.name !== row.name || m.email !== row.email || m.role !== row.role || m.testUser !== row.testUser || active !== row.active) {
          changes.set(m.userId, () => ({ ...row, name: m.name, email: m.email, role: m.role, testUser: m.testUser, active }))
        }
      }
      await changeRows(courseId, table, changes)
    })
  }

  return {
    /** Same answer as the progress loader's `input`, from the read model. */
    input: async (courseId: Id, students: Students): Promise<ReportInput> => {
      await ensureBuilt(courseId)
      return reportInputOf((await store.ofStudents(courseId, students)).map((d) => d.progress))
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

    /** The course at a glance: active members by role, students who recorded something, activities waiting. */
    totals: async (courseId: Id): Promise<CourseTotals> => {
      await ensureBuilt(courseId)
      return await store.totals(courseId) ?? noTotals()
    },

    /** The course table's instructors and mentors (far fewer documents to read than the whole table). */
    staff: async (courseId: Id): Promise<CourseTable> => {
      await ensureBuilt(courseId)
      return await store.staff(courseId)
    },

    /** The course table: every member of the course with, for a student, their mentor and line. */
    table: async (courseId: Id): Promise<CourseTable> => {
      await ensureBuilt(courseId)
      return await store.table(courseId)
    },

    /** Resolves once the changes this process was asked to apply to the course so far are applied (or failed). */
    applied: async (courseId: Id): Promise<void> => { await serial.idle(courseId) },

    /** Rebuilds a course from the source records: the repair for anything an update missed. */
    rebuild: async (courseId: Id): Promise<void> => { await serial(courseId, async () => { await exclusive(courseId, async () => { await buildNow(courseId) }) }) },

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
