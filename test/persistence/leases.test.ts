import { randomUUID } from 'node:crypto'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createLeases } from '../../src/persistence/leases'
import { testDatabaseUri } from '../helpers/test-app'

/** Several connections stand for several processes: FerretDB does not serialise conditional updates across them. */
let dbs: Database[] = []
beforeAll(async () => {
  const uri = testDatabaseUri()
  dbs = await Promise.all(Array.from({ length: 4 }, async () => await connectDatabase(uri)))
})
afterAll(async () => { await Promise.all(dbs.map(async (db) => { await db.close() })) })

const contenders = (n: number) => Array.from({ length: n }, (_, i) => ({ leases: createLeases((dbs[i % dbs.length] as Database).models), owner: randomUUID() }))

describe('leases on unique inserts', () => {
  it('have exactly one holder when eight processes take one at once, round after round', async () => {
    for (let round = 0; round < 10; round++) {
      const name = `race-${round}`
      const all = contenders(8)
      const won = await Promise.all(all.map(async (c) => await c.leases.acquire(name, c.owner, 60_000)))
      expect(won.filter(Boolean)).toHaveLength(1)
    }
  })

  it('are taken over by exactly one contender once expired, and the old holder learns it', async () => {
    const [first, ...others] = contenders(7)
    if (!first) throw new Error('no contender')
    // Long enough that a loaded CI machine still asks the second time inside the term.
    expect(await first.leases.acquire('expiring', first.owner, 1_500)).not.toBeNull()
    expect(await others[0]?.leases.acquire('expiring', others[0].owner, 60_000)).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 1_600))
    const won = await Promise.all(others.map(async (c) => await c.leases.acquire('expiring', c.owner, 60_000)))
    expect(won.filter(Boolean)).toHaveLength(1)
    expect(await first.leases.renew(first.owner, 60_000)).toBe(false)
    expect(await first.leases.holds(first.owner)).toBe(false)
    const holder = others[won.findIndex((w) => w !== null)]
    expect(await holder?.leases.renew(holder.owner, 60_000)).toBe(true)
    expect(await first.leases.heldUntil('expiring')).toBeInstanceOf(Date)
  })

  it('are free again at once when released', async () => {
    const [a, b] = contenders(2)
    if (!a || !b) throw new Error('no contenders')
    expect(await a.leases.acquire('released', a.owner, 60_000)).not.toBeNull()
    expect(await b.leases.acquire('released', b.owner, 60_000)).toBeNull()
    await a.leases.release(a.owner)
    expect(await b.leases.heldUntil('released')).toBeNull()
    expect(await b.leases.acquire('released', b.owner, 60_000)).not.toBeNull()
  })

  it('count a term that ran out as lost even before anyone took the next one', async () => {
    const [a] = contenders(1)
    if (!a) throw new Error('no contender')
    expect(await a.leases.acquire('lapsed', a.owner, 30)).not.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await a.leases.renew(a.owner, 60_000)).toBe(false)
  })

  it('start every term later than the one before, so work stamped with it never goes back in time', async () => {
    const starts: number[] = []
    for (let i = 0; i < 20; i++) {
      const [c] = contenders(1)
      if (!c) throw new Error('no contender')
      const term = await c.leases.acquire('stamped', c.owner, 60_000)
      starts.push(term?.startedAt.getTime() ?? 0)
      await c.leases.release(c.owner)
    }
    expect(starts.every((t, i) => i === 0 || t > (starts[i - 1] as number))).toBe(true)
  })
})
