import { Types } from 'mongoose'
import type { OutboxTarget, QueuedScore } from '../../src/domain/grading/ports'
import { sameScore, type ScoreBody } from '../../src/domain/grading/score-body'
import { createGradeWorker } from '../../src/jobs/grade-worker'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createGradeLaneRepository } from '../../src/persistence/repositories/grade-lane.repository'
import { createGradeOutboxRepository, laneOf, outboxKey } from '../../src/persistence/repositories/grade-outbox.repository'
import { testDatabaseUri } from '../helpers/test-app'
import { eventually } from './support'

/**
 * A student's older score left behind in the outbox after the newer one was sent: in a retry batch kept for
 * another student of the same lane, not due yet when the newer version went. (faults.test.ts met it under load:
 * the LMS ended with the older score, sent again under a later claim and so with a later timestamp.)
 */
const target: OutboxTarget = { courseId: String(new Types.ObjectId()), issuer: 'https://lms.example.edu', clientId: 'client-1', lineItemUrl: 'https://lms.example.edu/lineitems/1' }
const score = (scoreGiven: number): ScoreBody => ({ scoreGiven, scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'FullyGraded', comment: '' })
/** Two students whose scores travel in one lane, so that one batch can hold both. */
const [first, second] = (() => {
  const lane = (sub: string): number => laneOf(outboxKey(target.lineItemUrl, sub))
  const subs = Array.from({ length: 50 }, (_, i) => `student-${i}`)
  const a = subs[0] as string
  const b = subs.find((s) => s !== a && lane(s) === lane(a))
  if (b === undefined) throw new Error('no two students share a lane')
  return [a, b].map((sub) => ({ sub, userId: String(new Types.ObjectId()) }))
})() as [{ sub: string, userId: string }, { sub: string, userId: string }]

let db: Database
beforeAll(async () => { db = await connectDatabase(testDatabaseUri()) })
afterAll(async () => { await db?.close() })

/** The LMS: keeps a score only if its timestamp is later than the one it holds, as platforms do. */
function lms () {
  const book = new Map<string, { scoreGiven?: number, timestamp: number }>()
  const posts: string[] = []
  const send = async (s: QueuedScore, timestamp: Date) => {
    posts.push(`${s.userSub}=${s.body.scoreGiven}`)
    const held = book.get(s.userSub)
    if (held === undefined || held.timestamp < timestamp.getTime()) book.set(s.userSub, { scoreGiven: s.body.scoreGiven, timestamp: timestamp.getTime() })
    return { kind: 'sent' as const }
  }
  return { book, posts, send }
}

it('never sends a version older than the one the LMS accepted', async () => {
  const outbox = createGradeOutboxRepository(db.models)
  const platform = lms()
  const worker = createGradeWorker({
    outbox, lanes: createGradeLaneRepository(db.models), send: platform.send, concurrency: 2, leaseMs: 5000, pollMs: 20, loops: 1,
    log: { warn: () => undefined, error: () => undefined }
  })
  const sendUntil = async (posted: string): Promise<void> => {
    worker.start()
    try {
      await eventually(() => { expect(platform.posts).toContain(posted) }, 10_000, 20)
    } finally {
      await worker.stop()
    }
  }
  const enqueue = async (who: typeof first, given: number, now?: Date) =>
    await outbox.enqueue(target, [{ userId: who.userId, userSub: who.sub, body: score(given) }], { unchanged: sameScore, now })

  // Version 1 of both students waits for a retry in one batch; then the first student's version 2 is due now.
  const retryAt = new Date(Date.now() + 3_600_000)
  expect(await outbox.enqueue(target, [first, second].map((w) => ({ userId: w.userId, userSub: w.sub, body: score(30) })), { unchanged: sameScore, now: retryAt })).toHaveLength(2)
  expect(await enqueue(first, 60)).toHaveLength(1)
  await sendUntil(`${first.sub}=60`)
  expect((await outbox.resultsOf(target.courseId, target.lineItemUrl)).map((r) => r.version)).toEqual([2])

  // The first student's version 1 is left over. Asked to send every waiting score now, the worker sends the
  // second student's, and not that one.
  expect(await outbox.retry(target.courseId)).toBe(2)
  await sendUntil(`${second.sub}=30`)
  expect(platform.posts).toEqual([`${first.sub}=60`, `${second.sub}=30`])
  expect(platform.book.get(first.sub)?.scoreGiven).toBe(60)
  expect(await outbox.queuedOf(target.courseId, target.lineItemUrl)).toEqual([])
})

it('neither lists an older version left in the outbox as queued, nor compares a new score with it', async () => {
  const outbox = createGradeOutboxRepository(db.models)
  const course = { ...target, courseId: String(new Types.ObjectId()) }
  const who = { sub: 'student-x', userId: String(new Types.ObjectId()) }
  const key = outboxKey(course.lineItemUrl, who.sub)
  // Version 1 (30) left over in a batch; version 2 (60) accepted.
  await db.models.gradeOutbox.create({ _id: 'left-over', lane: laneOf(key), ...course, status: 'pending', nextAttemptAt: new Date(Date.now() + 3_600_000),
    entries: [{ key, version: 1, userId: who.userId, userSub: who.sub, body: score(30) }] })
  await db.models.gradeResults.create({ _id: key, courseId: course.courseId, lineItemUrl: course.lineItemUrl, userId: who.userId, version: 2, body: score(60), timestamp: new Date(), sentAt: new Date() })
  expect(await outbox.queuedOf(course.courseId, course.lineItemUrl)).toEqual([])
  // The score goes back to 30 (an activity returned): it differs from the 60 the LMS holds, so it is queued.
  expect(await outbox.enqueue(course, [{ userId: who.userId, userSub: who.sub, body: score(30) }], { unchanged: sameScore })).toHaveLength(1)
  expect((await outbox.queuedOf(course.courseId, course.lineItemUrl)).map((q) => [q.version, q.body.scoreGiven])).toEqual([[3, 30]])
  // And 60 again would be no change.
  await db.models.gradeOutbox.deleteMany({ courseId: course.courseId, _id: { $ne: 'left-over' } })
  expect(await outbox.enqueue(course, [{ userId: who.userId, userSub: who.sub, body: score(60) }], { unchanged: sameScore })).toHaveLength(0)
})
