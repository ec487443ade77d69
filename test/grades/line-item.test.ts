import { Types } from 'mongoose'
import { createLineItemResolver } from '../../src/domain/grading/line-item-resolver'
import { createAgsClient } from '../../src/lti/ags-client'
import { createServiceTokenCache } from '../../src/lti/service-token-cache'
import { createGradeSyncRepository } from '../../src/persistence/repositories/grade-sync.repository'
import { COURSE, eventually, recordSession, saveRules, startGradeWorld, type GradeWorld } from './support'

const gradesOf = async (world: GradeWorld) => (await world.api('inst', 'GET', '/api/v1/grades')).body
const rowOf = async (world: GradeWorld, student: string) =>
  (await gradesOf(world)).students.find((s: { studentUserId: string }) => s.studentUserId === world.people[student]?.userId)

describe('grade passback to the assignment the LMS names', () => {
  let world: GradeWorld
  beforeAll(async () => { world = await startGradeWorld({ launchLineItem: true, staleScoreStatus: 400 }) })
  afterAll(async () => { await world?.close() })

  it('uses the launch\'s line item and creates none', async () => {
    await saveRules(world)
    await eventually(() => expect(world.gradebook().size).toBe(3))
    const items = world.sim.lineItems(COURSE)
    expect(items).toHaveLength(1)
    expect(items[0]?.label).toBe('Mentoring (assignment)')
    expect(world.sim.gradebook(COURSE, items[0]?.id)).toHaveLength(3)
  })

  it('never has two processes create two columns for one course', async () => {
    const courseId = new Types.ObjectId()
    await world.app.db.models.gradeSyncs.create({ courseId })
    const syncs = createGradeSyncRepository(world.app.db.models)
    const ags = createAgsClient({ tokens: createServiceTokenCache(world.app.serviceTokens), timeoutMs: world.app.config.grades.requestTimeoutMs })
    const course = {
      id: String(courseId), issuer: world.sim.issuer, clientId: 'client-1', lineItemsUrl: `${world.sim.url}/api/courses/${COURSE}/lineitems`,
      agsScopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score']
    }
    const before = world.sim.lineItems(COURSE).length
    const processes = [createLineItemResolver({ ags, syncs }), createLineItemResolver({ ags, syncs })]
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, async (_, i) => await (processes[i % 2] as ReturnType<typeof createLineItemResolver>)(course, 100)))
    expect(world.sim.lineItems(COURSE).length).toBe(before + 1)
    const urls = new Set(outcomes.flatMap((o) => o.status === 'fulfilled' ? [o.value] : []))
    expect(urls.size).toBe(1)
    await expect(processes[0]?.(course, 100)).resolves.toBe([...urls][0])
  })

  it('holds the scores when the column the LMS named is deleted there, and says why on Grades', async () => {
    const named = world.sim.lineItems(COURSE).find((item) => item.label === 'Mentoring (assignment)')
    if (!named) throw new Error('no named column')
    world.sim.deleteLineItem(COURSE, named.id)
    const columns = world.sim.lineItems(COURSE).length
    await recordSession(world, 's1')
    const row = await eventually(async () => {
      const found = await rowOf(world, 's1')
      expect(found?.state).toBe('failed')
      return found
    })
    expect(row.lastError).toMatch(/^Held: the gradebook column your LMS named for Mentorlink was deleted in the LMS \(HTTP 404/)
    expect(world.sim.lineItems(COURSE)).toHaveLength(columns)
    expect((await gradesOf(world)).lineItemGone).toMatchObject({ url: named.id, held: true })
    const page = await world.page('inst', '/instructor/grades')
    expect(page.html).toContain('The gradebook column your LMS named for Mentorlink was deleted in your LMS')
    expect(page.html).toContain('Scores are held here until it is back')
  })
})
