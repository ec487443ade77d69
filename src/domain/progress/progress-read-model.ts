import type { ReportInput } from '../activities/course-report'
import type { AttendanceRepository, FieldTripRepository, Students, StudentRecordRepositories } from '../activities/ports'
import type { ProgressLoader } from '../activities/progress-loader'
import type { DomainEventType, EventOf, StudentRecordKind } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Id } from '../ids'
import { serialByKey } from '../serial-by-key'
import { dayOf } from '../term/calendar-day'
import type { ProgressStore } from './ports'
import { activityEntry, goalEntry, noteEntry, reportInputOf, studentProgressOf, summaryOf, type RecordEntry } from './student-progress'

export interface ProgressReadModelDeps {
  store: ProgressStore
  /** Reads the source records, for (re)building a course. */
  source: Pick<ProgressLoader, 'rows'>
  records: { [K in keyof StudentRecordRepositories]: Pick<StudentRecordRepositories[K], 'find'> }
  trips: Pick<FieldTripRepository, 'find'>
  attendance: Pick<AttendanceRepository, 'ofTrip'>
}

/** The events after which an entry of one student's record may read differently, and which entry. */
export const RECORD_EVENTS = ['RecordCreated', 'RecordChanged', 'RecordRemoved', 'ActivityVerified', 'ActivityReturned', 'GoalProgressed'] as const satisfies readonly DomainEventType[]
/** The events after which a trip's attendance may count differently (marked, moved to another day, cancelled). */
export const TRIP_EVENTS = ['AttendanceMarked', 'CheckedIn', 'TripChanged', 'TripCancelled'] as const satisfies readonly DomainEventType[]

type RecordEvent = EventOf<typeof RECORD_EVENTS[number]>

const kindOf = (event: RecordEvent): StudentRecordKind =>
  'kind' in event ? event.kind : event.type === 'GoalProgressed' ? 'goal' : 'activity'

/**
 * Students' progress kept up to date by the domain events, so that pages read a few documents by id instead of
 * the course's whole record. A course is built from the source records the first time it is read (or when asked
 * to rebuild); each event then re-reads only the entry it names, by id, so applying one twice is harmless.
 * Changes to one course are applied one at a time in this process.
 */
export function createProgressReadModel ({ store, source, records, trips, attendance }: ProgressReadModelDeps) {
  const serial = serialByKey()
  const built = new Set<Id>()

  const buildNow = async (courseId: Id): Promise<void> => {
    const students = studentProgressOf(await source.rows(courseId, 'all'))
    const summaries = students.flatMap((p) => { const summary = summaryOf(p); return summary ? [[p.studentUserId, summary] as const] : [] })
    await store.replaceCourse(courseId, students, Object.fromEntries(summaries))
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

  const applyRecord = async (event: RecordEvent): Promise<void> => {
    const { courseId, studentUserId, recordId } = event
    await whenBuilt(courseId, async () => {
      const progress = await store.setRecord(courseId, studentUserId, recordId, await currentEntry(kindOf(event), courseId, recordId))
      await store.setSummary(courseId, studentUserId, summaryOf(progress))
    })
  }

  const applyTrip = async ({ courseId, tripId }: { courseId: Id, tripId: Id }): Promise<void> => {
    await whenBuilt(courseId, async () => {
      const [trip, marks] = await Promise.all([trips.find(courseId, tripId), attendance.ofTrip(tripId)])
      for (const mark of marks) {
        await store.setTrip(courseId, mark.studentUserId, tripId, trip ? { day: dayOf(trip.startsAt), status: mark.status } : null)
      }
    })
  }

  return {
    /** Same answer as the progress loader's `input`, from the read model. */
    input: async (courseId: Id, students: Students): Promise<ReportInput> => {
      await ensureBuilt(courseId)
      return reportInputOf(await store.ofStudents(courseId, students))
    },

    /** Per student id: activities recorded and waiting for verification (students without any are absent). */
    summary: async (courseId: Id) => {
      await ensureBuilt(courseId)
      return await store.summary(courseId) ?? {}
    },

    /** Rebuilds a course from the source records: the repair for anything an update missed. */
    rebuild: async (courseId: Id): Promise<void> => { await serial(courseId, async () => { await buildNow(courseId) }) },

    subscribe: (bus: Pick<EventBus, 'subscribe'>): Array<() => void> => [
      bus.subscribe(RECORD_EVENTS, applyRecord),
      bus.subscribe(TRIP_EVENTS, applyTrip)
    ]
  }
}

export type ProgressReadModel = ReturnType<typeof createProgressReadModel>
