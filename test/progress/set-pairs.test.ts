import { Types } from 'mongoose'
import { sumTotals, totalsOf } from '../../src/domain/progress/course-table'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createProgressRepository } from '../../src/persistence/repositories/progress.repository'
import { testDatabaseUri } from '../helpers/test-app'

/**
 * Many pairs recorded at once (students placed after publication): students without a document get one by insert,
 * students who had one keep their progress and get the new mentor, however many of each there are.
 */
let db: Database
beforeAll(async () => { db = await connectDatabase(testDatabaseUri()) })
afterAll(async () => { await db.close() })

const id = (): string => String(new Types.ObjectId())
const entry = { of: 'reflection' as const }

async function placeAndCheck (withDocuments: number, without: number): Promise<void> {
  const store = createProgressRepository(db.models, { totalsOf, sumTotals })
  const courseId = id()
  const mentor = id()
  const recorded = Array.from({ length: withDocuments }, id)
  const fresh = Array.from({ length: without }, id)
  for (const student of recorded) await store.setRecord(courseId, student, `r-${student}`, entry)
  await store.setPairs(courseId, [...recorded, ...fresh].map((studentUserId) => ({ studentUserId, mentorId: mentor })))
  const docs = new Map((await store.ofStudents(courseId, 'all')).map((d) => [d.progress.studentUserId, d]))
  expect(docs.size).toBe(withDocuments + without)
  for (const student of [...recorded, ...fresh]) expect(docs.get(student)?.mentorId).toBe(mentor)
  for (const student of recorded) expect(docs.get(student)?.progress.records).toEqual({ [`r-${student}`]: entry })
  for (const student of fresh) expect(docs.get(student)?.progress.records).toEqual({})
}

describe('recording many pairs at once', () => {
  it('inserts documents for students who had none and updates the few who had one', async () => { await placeAndCheck(5, 80) })
  it('rewrites the course when many had one', async () => { await placeAndCheck(60, 20) })
})
