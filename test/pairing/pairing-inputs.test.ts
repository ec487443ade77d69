import { Types } from 'mongoose'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createPairingWorkflowRepository } from '../../src/persistence/repositories/pairing-workflow.repository'
import { testDatabaseUri } from '../helpers/test-app'

let db: Database
beforeAll(async () => { db = await connectDatabase(testDatabaseUri()) })
afterAll(async () => { await db?.close() })

it('reads the students to pair from their memberships, and names those written before memberships kept names from their user', async () => {
  const { models } = db
  const tenant = { issuer: 'https://lms.example.edu', clientId: 'c', deploymentId: 'd' }
  const course = await models.courses.create({ ...tenant, contextId: `inputs-${String(new Types.ObjectId())}` })
  const [named, legacy, testUser, dropped] = await models.users.insertMany(['named', 'legacy', 'test', 'dropped'].map((sub) =>
    ({ ...tenant, sub, name: `User ${sub}`, email: `${sub}@example.edu` })))
  const student = { courseId: course._id, role: 'student', lisRoles: [] }
  await models.memberships.insertMany([
    { ...student, userId: named?._id, name: 'Ann Lee', email: 'ann@example.edu' },
    { ...student, userId: legacy?._id },
    { ...student, userId: testUser?._id, testUser: true, name: 'Test Student' },
    { ...student, userId: dropped?._id, status: 'dropped', name: 'Gone' }
  ])
  const inputs = await createPairingWorkflowRepository(models).loadInputs(String(course._id))
  expect(inputs.students.map((s) => s.name).sort()).toEqual(['Ann Lee', 'User legacy'])
})
