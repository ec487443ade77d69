import { Types } from 'mongoose'
import { PROGRESS_EVENTS, type EventOf } from '../../src/domain/events/domain-events'
import { createLeases } from '../../src/persistence/leases'
import { day, eventually, saveRules, startGradeWorld, type GradeWorld } from './support'

type ProgressEventType = typeof PROGRESS_EVENTS[number]

/** One event of every type after which completion may differ, about student s1 of the world's course. */
function progressEvents (courseId: string, student: string): { [T in ProgressEventType]: EventOf<T> } {
  const id = (): string => String(new Types.ObjectId())
  const record = { courseId, studentUserId: student, kind: 'activity' as const, recordId: id(), byUserId: id() }
  const trip = { courseId, tripId: id() }
  return {
    RecordCreated: { type: 'RecordCreated', ...record },
    RecordChanged: { type: 'RecordChanged', ...record },
    RecordRemoved: { type: 'RecordRemoved', ...record },
    ActivityVerified: { type: 'ActivityVerified', courseId, studentUserId: student, recordId: id(), byUserId: id() },
    ActivityReturned: { type: 'ActivityReturned', courseId, studentUserId: student, recordId: id(), byUserId: id() },
    GoalProgressed: { type: 'GoalProgressed', courseId, studentUserId: student, recordId: id(), byUserId: id() },
    TripChanged: { type: 'TripChanged', ...trip, invitedUserIds: [student], uninvitedUserIds: [] },
    TripCancelled: { type: 'TripCancelled', ...trip, invitedUserIds: [student] },
    TripStarted: { type: 'TripStarted', ...trip },
    AttendanceMarked: { type: 'AttendanceMarked', ...trip, studentUserIds: [student] },
    CheckedIn: { type: 'CheckedIn', ...trip, studentUserId: student },
    PairingPublished: { type: 'PairingPublished', courseId, runId: id(), studentUserIds: [student] },
    PairingUnpublished: { type: 'PairingUnpublished', courseId, byUserId: id(), studentUserIds: [student], reason: 'test' },
    StudentPlaced: { type: 'StudentPlaced', courseId, studentUserId: student, mentorId: id() },
    StudentsPlaced: { type: 'StudentsPlaced', courseId, placed: [{ studentUserId: student, mentorId: id() }] },
    PairMoved: { type: 'PairMoved', courseId, studentUserId: student, fromMentorId: id(), toMentorId: id() },
    PairReleased: { type: 'PairReleased', courseId, studentUserId: student, reason: 'test' },
    StudentsDropped: { type: 'StudentsDropped', courseId, studentUserIds: [student] },
    RosterSynced: { type: 'RosterSynced', courseId },
    MemberJoined: { type: 'MemberJoined', courseId, userId: student, role: 'student' },
    RulesChanged: { type: 'RulesChanged', courseId, byUserId: id() },
    AssessmentSubmitted: { type: 'AssessmentSubmitted', courseId, studentUserId: student, point: 'start', side: 'self', byUserId: student }
  }
}

describe('grade recompute on domain events', () => {
  let world: GradeWorld
  const syncOf = async () => await world.app.db.models.gradeSyncs.findOne({ courseId: world.courseId }).lean()
  /** Changes of the course waiting for a recompute. */
  const marksOf = async (courseId: string) => await world.app.db.models.gradeMarks.countDocuments({ courseId })

  beforeAll(async () => {
    world = await startGradeWorld()
    await saveRules(world)
    await eventually(() => { expect(world.gradebook().get('s1')?.scoreGiven).toBe(0) })
  })
  afterAll(async () => { await world.close() })

  it.each([...PROGRESS_EVENTS])('%s marks the course before publish resolves, and the course is recomputed', async (type) => {
    const before = await syncOf()
    await world.app.events.publish(progressEvents(world.courseId, world.people.s1?.userId ?? '')[type])
    expect(await marksOf(world.courseId)).toBeGreaterThan(0)
    await eventually(async () => {
      const after = await syncOf()
      expect(await marksOf(world.courseId)).toBe(0)
      expect(after?.lastRecomputeAt?.getTime()).toBeGreaterThan(before?.lastRecomputeAt?.getTime() ?? 0)
    })
  })

  it('sends the score of a record written behind the routes\' back once its event is published', async () => {
    const s1 = new Types.ObjectId(world.people.s1?.userId)
    await world.app.settled()
    await world.app.db.models.activities.create({
      courseId: new Types.ObjectId(world.courseId), studentUserId: s1, createdBy: new Types.ObjectId(world.people.m1?.userId), createdByRole: 'mentor',
      kind: 'session', date: new Date(`${day(-1)}T12:00:00Z`), durationMinutes: 60, topics: ['Career'], status: 'verified'
    })
    // No route saw the write, so nothing has told completion: nothing runs, and the gradebook still says 0.
    await world.app.settled()
    expect(world.gradebook().get('s1')?.scoreGiven).toBe(0)

    const activity = await world.app.db.models.activities.findOne({ studentUserId: s1 }).lean()
    await world.app.events.publish({
      type: 'RecordCreated', courseId: world.courseId, studentUserId: String(s1), kind: 'activity', recordId: String(activity?._id), byUserId: world.people.m1?.userId ?? ''
    })
    // One of two verified sessions under the quick rules: 30 of 60 points.
    await eventually(() => { expect(world.gradebook().get('s1')?.scoreGiven).toBe(30) })
    expect(world.gradebook().get('s2')?.scoreGiven).toBe(0)
  })

  it('leaves a course without saved rules alone', async () => {
    const otherCourse = await world.app.db.models.courses.findOne({ contextId: 'other101' }).lean()
    const courseId = String(otherCourse?._id)
    await world.app.events.publish({ type: 'RosterSynced', courseId })
    expect(await marksOf(courseId)).toBe(0)
  })

  it('takes over a recompute whose process died, within seconds, and says meanwhile that changes wait', async () => {
    await world.app.settled()
    // A process took the course's recompute lease and died: nobody renews it.
    const dead = createLeases(world.app.db.models)
    expect(await dead.acquire(`grade-recompute:${world.courseId}`, 'dead-process', 2000)).not.toBeNull()
    const before = await syncOf()
    await world.app.events.publish(progressEvents(world.courseId, world.people.s1?.userId ?? '').RulesChanged)
    expect(await marksOf(world.courseId)).toBeGreaterThan(0)
    expect((await world.api('inst', 'GET', '/api/v1/grades')).body.recompute).toBe('running')
    const started = Date.now()
    await eventually(async () => {
      expect(await marksOf(world.courseId)).toBe(0)
      expect((await syncOf())?.lastRecomputeAt?.getTime()).toBeGreaterThan(before?.lastRecomputeAt?.getTime() ?? 0)
    }, 10_000)
    // The lease ran out after 2 s; the retry every second (COMPLETION_RETRY_SECONDS in the tests) took the course up.
    expect(Date.now() - started).toBeLessThan(5000)
    expect((await world.api('inst', 'GET', '/api/v1/grades')).body.recompute).toBe('idle')
  })
})
