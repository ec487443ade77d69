import { Types } from 'mongoose'
import type { Actor } from '../../src/domain/activities/access'
import { createFrameworkService } from '../../src/domain/competencies/framework-service'
import type { FrameworkStore } from '../../src/domain/competencies/ports'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createFrameworkRepository } from '../../src/persistence/repositories/competency.repository'
import { testDatabaseUri } from '../helpers/test-app'

/**
 * The framework lock against a change, on the real database, with the two interleaved both ways at the worst
 * moment (the other side runs between one's reading and its write), and across connections standing for processes.
 */
let dbs: Database[] = []
beforeAll(async () => {
  const uri = testDatabaseUri()
  dbs = await Promise.all(Array.from({ length: 4 }, async () => await connectDatabase(uri)))
})
afterAll(async () => { await Promise.all(dbs.map(async (db) => { await db.close() })) })

const quiet = { publish: async () => {} }
const noCourses = { otherCoursesOf: async () => [] }
const actorIn = (courseId: string): Actor => ({ courseId, userId: String(new Types.ObjectId()), role: 'instructor', term: null })
const level = (n: number) => `Level ${n} in words`
const extra = (name: string) => ({ name, description: `${name} covers this`, levels: [1, 2, 3, 4, 5].map(level) })

/** The store of one connection; `beforeInsert` runs just before an insert reaches the database. */
function storeOf (db: Database, beforeInsert?: (locked: boolean) => Promise<void>): FrameworkStore {
  const store = createFrameworkRepository(db.models)
  return { latest: store.latest, insert: async (r) => { await beforeInsert?.(r.locked); return await store.insert(r) } }
}

it('a change that lands between the lock\'s reading and its write wins, and the lock refuses the ratings', async () => {
  const courseId = String(new Types.ObjectId())
  const changer = createFrameworkService({ store: storeOf(dbs[1] as Database), courses: noCourses, events: quiet })
  let changed: unknown = null
  const locker = createFrameworkService({
    store: storeOf(dbs[0] as Database, async (locked) => { if (locked) changed = await changer.add(actorIn(courseId), 0, extra('Board presence')) }),
    courses: noCourses, events: quiet
  })
  const rated = await locker.current(courseId)
  expect(await locker.lock(courseId, rated)).toBeNull()
  expect(changed).toMatchObject({ revision: 1, locked: false })
  expect(await locker.current(courseId)).toMatchObject({ revision: 1, locked: false })
})

it('a lock that lands between a change\'s reading and its write wins, and the change is refused as locked', async () => {
  const courseId = String(new Types.ObjectId())
  const locker = createFrameworkService({ store: storeOf(dbs[1] as Database), courses: noCourses, events: quiet })
  const changer = createFrameworkService({
    store: storeOf(dbs[0] as Database, async (locked) => { if (!locked) expect(await locker.lock(courseId, await locker.current(courseId))).toMatchObject({ locked: true }) }),
    courses: noCourses, events: quiet
  })
  await expect(changer.add(actorIn(courseId), 0, extra('Board presence'))).rejects.toMatchObject({ statusCode: 409, message: 'The competencies cannot be changed any more: the first assessment has been submitted' })
  expect(await changer.current(courseId)).toMatchObject({ revision: 1, locked: true })
  expect((await changer.current(courseId)).competencies.map((c) => c.key)).not.toContain('board-presence')
})

it('of eight changes and locks from the same revision on four connections, exactly one is written, round after round', async () => {
  for (let round = 0; round < 5; round++) {
    const courseId = String(new Types.ObjectId())
    const services = dbs.map((db) => createFrameworkService({ store: storeOf(db), courses: noCourses, events: quiet }))
    const rated = await services[0]?.current(courseId)
    if (rated === undefined) throw new Error('no framework')
    const outcomes = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const service = services[i % services.length]
      if (service === undefined) throw new Error('no service')
      if (i % 2 === 0) return await service.lock(courseId, rated).then((f) => f === null ? 'lock refused' : 'locked')
      return await service.add(actorIn(courseId), 0, extra(`Extra ${i}`)).then(() => 'changed', () => 'change refused')
    }))
    const final = await services[0]?.current(courseId)
    if (outcomes.includes('changed')) {
      expect(outcomes.filter((o) => o === 'changed')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'locked')).toHaveLength(0)
      expect(final).toMatchObject({ revision: 1, locked: false })
    } else {
      // Every locker locked the same revision: the defaults, unchanged.
      expect(outcomes.filter((o) => o === 'locked')).toHaveLength(4)
      expect(final).toMatchObject({ revision: 1, locked: true, competencies: rated.competencies })
    }
  }
})
