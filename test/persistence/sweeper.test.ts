import { connectDatabase, type Database } from '../../src/persistence/database'
import { sweepExpired } from '../../src/persistence/sweeper'
import { testDatabaseUri } from '../helpers/test-app'

let db: Database

beforeAll(async () => { db = await connectDatabase(testDatabaseUri()) })
afterAll(async () => { await db?.close() })

describe('the expiry sweeper (FerretDB has no TTL indexes)', () => {
  it('deletes expired claims, sessions and ltijs nonces, states and tokens, and keeps live ones', async () => {
    const raw = db.connection.db
    if (!raw) throw new Error('no db')
    const now = Date.now()
    const ago = (seconds: number): Date => new Date(now - seconds * 1000)
    await raw.collection('single_use_claims').insertMany([{ _id: 'old' as never, expiresAt: ago(1) }, { _id: 'live' as never, expiresAt: ago(-60) }])
    await raw.collection('sessions').insertMany([{ s: 'old', expiresAt: ago(1) }, { s: 'live', expiresAt: ago(-60) }])
    await raw.collection('nonces').insertMany([{ nonce: 'old', createdAt: ago(11) }, { nonce: 'live', createdAt: ago(1) }])
    await raw.collection('states').insertMany([{ state: 'old', createdAt: ago(601) }, { state: 'live', createdAt: ago(1) }])
    await raw.collection('accesstokens').insertMany([{ t: 'old', createdAt: ago(3601) }, { t: 'live', createdAt: ago(60) }])
    await raw.collection('idtokens').insertMany([{ t: 'old', createdAt: ago(86401) }, { t: 'live', createdAt: ago(60) }])
    await raw.collection('contexttokens').insertMany([{ t: 'old', createdAt: ago(86401) }, { t: 'live', createdAt: ago(60) }])

    expect(await sweepExpired(db.connection, new Date(now))).toBe(7)
    for (const name of ['single_use_claims', 'sessions', 'nonces', 'states', 'accesstokens', 'idtokens', 'contexttokens']) {
      expect(await raw.collection(name).countDocuments()).toBe(1)
    }
  })
})
