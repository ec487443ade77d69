import { randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import type { Activity } from '../../src/domain/activities/ports'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createStudentRecordRepositories } from '../../src/persistence/repositories/activity.repository'
import { createRegistrationLinkRepository } from '../../src/persistence/repositories/registration-link.repository'
import { testDatabaseUri } from '../helpers/test-app'

/** Several connections stand for several processes: FerretDB does not serialise conditional updates across them. */
let dbs: Database[] = []
beforeAll(async () => {
  const uri = testDatabaseUri()
  dbs = await Promise.all(Array.from({ length: 4 }, async () => await connectDatabase(uri)))
})
afterAll(async () => { await Promise.all(dbs.map(async (db) => { await db.close() })) })

const eight = <T>(make: (db: Database) => T): T[] => Array.from({ length: 8 }, (_, i) => make(dbs[i % dbs.length] as Database))

describe('compare-and-set across processes', () => {
  it('lets exactly one of eight editors of the same version of an entry save it, round after round', async () => {
    const [first] = dbs
    if (!first) throw new Error('no database')
    const entry = await createStudentRecordRepositories(first.models).activities.create({
      courseId: String(new Types.ObjectId()), studentUserId: String(new Types.ObjectId()), createdBy: String(new Types.ObjectId()), createdByRole: 'student',
      kind: 'session', date: new Date('2027-02-01T12:00:00Z'), durationMinutes: 60, topics: ['Career'], status: 'pending'
    } as never) as Activity
    let seen = entry
    for (let round = 0; round < 5; round++) {
      const saved = await Promise.all(eight((db) => createStudentRecordRepositories(db.models).activities).map(async (repo, i) =>
        await repo.update(seen, { durationMinutes: 30 + round * 8 + i } as never)))
      const winners = saved.filter((s): s is Activity => s !== null)
      expect(winners).toHaveLength(1)
      seen = winners[0] as Activity
      expect((await createStudentRecordRepositories(first.models).activities.find(seen.courseId, seen._id))?.durationMinutes).toBe(seen.durationMinutes)
    }
  })

  it('lets exactly one of eight registrations claim a one-time registration link', async () => {
    const hash = randomBytes(16).toString('hex')
    await createRegistrationLinkRepository(dbs[0]?.models as Database['models']).create(hash, new Date(Date.now() + 60_000))
    const repos = eight((db) => createRegistrationLinkRepository(db.models))
    const claimed = await Promise.all(repos.map(async (repo) => await repo.claim(hash)))
    expect(claimed.filter(Boolean)).toHaveLength(1)
    const holder = repos[claimed.indexOf(true)]
    expect(await holder?.fail(hash)).toBe(4)
    expect(await repos[(claimed.indexOf(true) + 1) % repos.length]?.claim(hash)).toBe(true)
  })

  it('counts failed registrations with a link exactly when eight connections record them at once, and uses it up at five', async () => {
    const hash = randomBytes(16).toString('hex')
    await createRegistrationLinkRepository(dbs[0]?.models as Database['models']).create(hash, new Date(Date.now() + 60_000))
    const repos = eight((db) => createRegistrationLinkRepository(db.models))
    const left = await Promise.all(repos.map(async (repo) => await repo.fail(hash)))
    expect(left.sort()).toEqual([0, 0, 0, 0, 1, 2, 3, 4])
    expect(await repos[0]?.claim(hash)).toBe(false)
    expect(await dbs[0]?.models.registrationLinks.countDocuments({ tokenHash: hash })).toBe(0)
  })
})
