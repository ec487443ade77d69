import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const base = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'mgt540' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'mgt540', [
    { id: 'u-instructor', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'u-ta', name: 'Tariq Aziz', roles: ['TeachingAssistant'] },
    { id: 'u-mentor', name: 'Daniel Reyes', roles: ['Mentor'] },
    { id: 'u-student', name: 'Lucia Ferreira', roles: ['Learner'] },
    { id: 'u-intruder', name: 'Ivan Intruder', roles: ['Learner'] }
  ])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('a full OIDC launch', () => {
  it.each([
    ['u-instructor', '/instructor', 'Amara Okafor', 'Instructor'],
    ['u-ta', '/instructor', 'Tariq Aziz', 'Instructor'],
    ['u-mentor', '/mentor', 'Daniel Reyes', 'Mentor'],
    ['u-student', '/student', 'Lucia Ferreira', 'Student']
  ])('lands %s on %s with their name and the course', async (userId, path, name, roleLabel) => {
    const result = await launchAs(sim, { ...base, userId })
    expect(result.launch.status).toBe(302)
    expect(result.home?.status).toBe(200)
    expect(new URL(result.home?.url ?? '').pathname).toBe(path)
    expect(result.home?.html).toContain(name)
    expect(result.home?.html).toContain('Course mgt540')
    expect(result.home?.html).toContain(roleLabel)
  })

  it('keeps the course service URLs from the launch', async () => {
    await launchAs(sim, { ...base, userId: 'u-instructor' })
    const course = await app.db.models.courses.findOne({ contextId: 'mgt540' }).lean()
    expect(course?.membershipsUrl).toMatch(/\/memberships$/)
    expect(course?.lineItemsUrl).toMatch(/\/lineitems$/)
  })

  it('signs the session into the JSON API too', async () => {
    const { sessionToken } = await launchAs(sim, { ...base, userId: 'u-student' })
    const res = await fetch(`${app.config.publicUrl}/api/v1/me`, { headers: { authorization: `Bearer ${sessionToken ?? ''}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ role: 'student', user: { name: 'Lucia Ferreira' }, course: { title: 'Course mgt540' } })
  })

  it('refuses a student on the instructor page and anyone without a session', async () => {
    const { sessionToken } = await launchAs(sim, { ...base, userId: 'u-student' })
    const forbidden = await fetch(`${app.config.publicUrl}/instructor?session=${sessionToken ?? ''}`)
    expect(forbidden.status).toBe(403)
    expect((await fetch(`${app.config.publicUrl}/student`)).status).toBe(401)
    expect((await fetch(`${app.config.publicUrl}/student?session=forged.token.value`)).status).toBe(401)
  })
})

describe('the platform JWKS', () => {
  it('is fetched once for many launches and again after the platform rotates its key', async () => {
    await launchAs(sim, { ...base, userId: 'u-student' })
    const before = sim.stats.jwksFetches
    for (let i = 0; i < 5; i++) expect((await launchAs(sim, { ...base, userId: 'u-student' })).launch.status).toBe(302)
    expect(sim.stats.jwksFetches).toBe(before)
    sim.rotateKey()
    expect((await launchAs(sim, { ...base, userId: 'u-student' })).launch.status).toBe(302)
    expect(sim.stats.jwksFetches).toBe(before + 1)
  })
})
