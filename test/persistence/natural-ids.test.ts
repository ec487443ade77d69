import { Types } from 'mongoose'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { membershipIdOf, userIdOf } from '../../src/persistence/natural-ids'
import { createTenancyRepository } from '../../src/persistence/repositories/tenancy.repository'
import { testDatabaseUri } from '../helpers/test-app'

let db: Database
beforeAll(async () => { db = await connectDatabase(testDatabaseUri()) })
afterAll(async () => { await db?.close() })

const tenant = { issuer: 'https://lms.example.edu', clientId: 'natural', deploymentId: 'd' }
const person = (sub: string, name: string) => ({ sub, name, givenName: '', familyName: '', email: `${sub}@example.edu` })
const launched = { role: 'student' as const, lisRoles: [], testUser: false, name: 'Ann Lee', email: 'ann@example.edu' }

describe('users and memberships keyed by who they are', () => {
  it('are created under ids derived from platform and subject, and from course and user', async () => {
    const tenancy = createTenancyRepository(db.models)
    const user = await tenancy.upsertUser(tenant, person('ann', 'Ann Lee'))
    expect(String(user._id)).toBe(String(userIdOf(tenant, 'ann')))
    const courseId = new Types.ObjectId()
    expect(await tenancy.upsertMembership(courseId, user._id, launched, new Date())).toEqual({ joined: true })
    expect(await tenancy.upsertMembership(courseId, user._id, launched, new Date())).toEqual({ joined: false })
    expect(await db.models.memberships.findById(membershipIdOf(courseId, user._id)).lean()).toMatchObject({ status: 'active', name: 'Ann Lee' })
  })

  it('still find those made before under random ids, and never duplicate them', async () => {
    const legacyUser = await db.models.users.create({ ...tenant, sub: 'bo', name: 'Bo' })
    const courseId = new Types.ObjectId()
    const legacyMembership = await db.models.memberships.create({ courseId, userId: legacyUser._id, role: 'student', status: 'dropped' })
    const tenancy = createTenancyRepository(db.models)
    const user = await tenancy.upsertUser(tenant, person('bo', 'Bo Ek'))
    expect(String(user._id)).toBe(String(legacyUser._id))
    expect(await tenancy.upsertMembership(courseId, legacyUser._id, launched, new Date())).toEqual({ joined: true })
    expect(await db.models.users.countDocuments({ ...tenant, sub: 'bo' })).toBe(1)
    expect(await db.models.memberships.find({ courseId }).lean()).toEqual([expect.objectContaining({ _id: legacyMembership._id, status: 'active' })])
  })

  it('survive two first launches at once', async () => {
    const courseId = new Types.ObjectId()
    const [a, b] = await Promise.all([0, 1].map(async () => await createTenancyRepository(db.models).upsertUser(tenant, person('cy', 'Cy Ng'))))
    expect(String(a?._id)).toBe(String(b?._id))
    await Promise.all([0, 1].map(async () => await createTenancyRepository(db.models).upsertMembership(courseId, a?._id as Types.ObjectId, launched, new Date())))
    expect(await db.models.memberships.countDocuments({ courseId })).toBe(1)
  })
})
