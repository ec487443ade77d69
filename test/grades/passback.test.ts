import { Types } from 'mongoose'
import { COURSE, QUICK_RULES, eventually, historyOf, recordSession, saveRules, startGradeWorld, writeReflection, type GradeWorld } from './support'

const missingBoth = 'Missing: 1 more verified 1:1 session, 1 more reflection.'

describe('grade passback to a column Mentorlink creates', () => {
  let world: GradeWorld
  beforeAll(async () => { world = await startGradeWorld() })
  afterAll(async () => { await world?.close() })

  it('sends nothing before the instructor saves completion rules', async () => {
    await recordSession(world, 's1')
    await world.app.settled()
    expect(world.sim.lineItems(COURSE)).toHaveLength(0)
    expect(world.sim.stats.scorePosts).toBe(0)
    expect(await world.app.db.models.gradeOutbox.countDocuments()).toBe(0)
  })

  it('creates the column once and sends every active student\'s running score', async () => {
    const saved = await saveRules(world)
    // Saving also publishes RulesChanged, whose own recompute may queue the three scores first: then this one finds
    // nothing left to queue. Either way each score is queued once (the gradebook below holds exactly three).
    expect(saved.body.recompute).toMatchObject({ status: 'done', students: 3 })
    expect([0, 3]).toContain(saved.body.recompute.enqueued)
    const items = world.sim.lineItems(COURSE)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ label: 'Mentoring programme completion', scoreMaximum: 100, tag: 'mentorlink', resourceLinkId: `rl-${COURSE}` })
    const book = await eventually(() => { const b = world.gradebook(); expect(b.size).toBe(3); return b })
    expect(book.get('s1')).toMatchObject({ scoreGiven: 30, scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'FullyGraded', comment: missingBoth })
    expect(book.get('s2')).toMatchObject({ scoreGiven: 0, activityProgress: 'InProgress', comment: 'Missing: 2 more verified 1:1 sessions, 1 more reflection.' })
    const sync = await world.app.db.models.gradeSyncs.findOne({ courseId: new Types.ObjectId(world.courseId) }).lean()
    expect(sync?.lineItemUrl).toBe(items[0]?.id)
  })

  it('sends the full score, Completed, once the requirements are met', async () => {
    await recordSession(world, 's1')
    await writeReflection(world, 's1')
    await eventually(() => expect(world.gradebook().get('s1')).toMatchObject({
      scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'Mentoring programme complete.'
    }))
    // The student hears it, in the app (and by email when they have an address), once.
    await world.app.settled()
    const completed = async () => ((await world.page('s1', '/notifications')).html.match(/You completed the mentoring programme/g) ?? []).length
    await eventually(async () => expect(await completed()).toBe(1))
    const history = historyOf(world, 's1')
    for (let i = 1; i < history.length; i++) {
      expect(Date.parse(history[i]?.timestamp ?? '')).toBeGreaterThan(Date.parse(history[i - 1]?.timestamp ?? ''))
      expect(history[i]?.scoreGiven ?? 0).toBeGreaterThanOrEqual(history[i - 1]?.scoreGiven ?? 0)
    }
  })

  it('updates every student when the rules change, holding running scores back when asked', async () => {
    await saveRules(world, { ...QUICK_RULES, runningScores: 'held', requirements: { ...QUICK_RULES.requirements, sessions: { need: 3, points: 60 } } })
    await eventually(() => {
      const book = world.gradebook()
      expect(book.get('s1')).toMatchObject({ activityProgress: 'InProgress', gradingProgress: 'Pending', comment: 'Missing: 1 more verified 1:1 session.' })
      expect(book.get('s1')?.scoreGiven).toBeUndefined()
      expect(book.get('s2')).toMatchObject({ gradingProgress: 'Pending', comment: 'Missing: 3 more verified 1:1 sessions, 1 more reflection.' })
    })
    await recordSession(world, 's1')
    await eventually(() => expect(world.gradebook().get('s1')).toMatchObject({ scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' }))
    await world.app.settled()
    expect(((await world.page('s1', '/notifications')).html.match(/You completed the mentoring programme/g) ?? []).length).toBe(1)
  })

  it('does not send a score again when nothing changed, unless asked to send all', async () => {
    await eventually(async () => expect(await world.app.db.models.gradeOutbox.countDocuments()).toBe(0))
    await world.app.settled()
    const posts = world.sim.stats.scorePosts
    const again = await world.app.grading.publisher.recompute(world.courseId)
    expect(again).toMatchObject({ status: 'done', enqueued: 0 })
    const forced = await world.api('inst', 'POST', '/api/v1/grades/sync')
    expect(forced.body).toMatchObject({ status: 'done', enqueued: 3 })
    await eventually(() => expect(world.sim.stats.scorePosts).toBe(posts + 3))
  })

  it('shows each student\'s sync state to the instructor', async () => {
    await eventually(async () => expect((await world.api('inst', 'GET', '/api/v1/grades')).body.counts.synced).toBe(3))
    const status = await world.api('inst', 'GET', '/api/v1/grades')
    expect(status.body).toMatchObject({ rulesSaved: true, unavailableReason: null, lineItem: { source: 'created' } })
    expect(status.body.students.map((s: { state: string }) => s.state)).toEqual(['synced', 'synced', 'synced'])
    const page = await world.page('inst', '/instructor/grades')
    expect(page.status).toBe(200)
    expect(page.html).toContain('Synced')
    expect(page.html).toContain('Last synced')
  })
})
