import { COURSE, eventually, expectUpToDate, recordSession, saveRules, startGradeWorld, type GradeWorld } from './support'

const gradesOf = async (world: GradeWorld) => (await world.api('inst', 'GET', '/api/v1/grades')).body

describe('a column Mentorlink created, deleted in the LMS', () => {
  let world: GradeWorld
  beforeAll(async () => { world = await startGradeWorld() })
  afterAll(async () => { await world?.close() })

  it('is made again, and the next scores arrive in the new column, every student\'s', async () => {
    await saveRules(world)
    await eventually(() => expect(world.gradebook().size).toBe(3))
    const [first] = world.sim.lineItems(COURSE)
    if (!first) throw new Error('no column')
    world.sim.deleteLineItem(COURSE, first.id)
    await recordSession(world, 's1')
    const second = await eventually(() => {
      const [item, ...more] = world.sim.lineItems(COURSE)
      expect(more).toEqual([])
      expect(item?.id).not.toBe(first.id)
      expect(world.sim.gradebook(COURSE, item?.id)).toHaveLength(3)
      return item
    })
    expect(second).toMatchObject({ label: 'Mentoring programme completion', tag: 'mentorlink' })
    await expectUpToDate(world)
    const status = await eventually(async () => {
      const grades = await gradesOf(world)
      expect(grades.counts).toMatchObject({ synced: 3, failed: 0 })
      return grades
    })
    expect(status.lineItem).toEqual({ url: second?.id, source: 'created' })
    expect(status.lineItemGone).toMatchObject({ url: first.id, held: false })
    expect(await world.app.db.models.gradeOutbox.countDocuments({ status: 'failed' })).toBe(0)
    const page = await world.page('inst', '/instructor/grades')
    expect(page.html).toContain('The gradebook column Mentorlink used was deleted in your LMS')
    expect(page.html).toContain('Mentorlink moved to a new column (above) and sent every score to it again.')
  })
})
