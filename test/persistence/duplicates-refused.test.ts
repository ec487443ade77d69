import { connectDatabase, type Database } from '../../src/persistence/database'
import { duplicatesRefused } from '../../src/persistence/duplicate-key'
import { testDatabaseUri } from '../helpers/test-app'

let db: Database
beforeAll(async () => { db = await connectDatabase(testDatabaseUri()) })
afterAll(async () => { await db?.close() })

const failureOf = async (work: () => Promise<unknown>): Promise<unknown> => {
  try { await work() } catch (err) { return err }
  throw new Error('the write did not fail')
}

describe('a bulk insert refused for existing unique keys', () => {
  const tenant = { issuer: 'https://lms.example.edu', clientId: 'dup', deploymentId: 'd' }
  beforeAll(async () => { await db.models.users.insertMany([{ ...tenant, sub: 'a' }, { ...tenant, sub: 'c' }]) })

  it('names the refused documents, through mongoose and through the driver', async () => {
    const docs = ['a', 'b', 'c', 'd'].map((sub) => ({ ...tenant, sub: `${sub}` }))
    expect(duplicatesRefused(await failureOf(async () => await db.models.users.insertMany(docs, { ordered: false })))).toEqual([0, 2])
    const raw = ['a', 'e'].map((sub) => ({ ...tenant, sub }))
    expect(duplicatesRefused(await failureOf(async () => await db.models.users.collection.insertMany(raw, { ordered: false })))).toEqual([0])
  })

  it('answers null for any other failure', () => {
    expect(duplicatesRefused(new Error('connection reset'))).toBeNull()
    expect(duplicatesRefused({ writeErrors: [{ code: 11000, index: 0 }, { code: 121, index: 1 }] })).toBeNull()
  })
})
