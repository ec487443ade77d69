import { COURSE, eventually, expectUpToDate, recordSession, saveRules, startGradeWorld, type GradeWorld } from './support'

let world: GradeWorld
const expectGradebookUpToDate = async (except?: string[]) => { await expectUpToDate(world, except) }

beforeAll(async () => {
  world = await startGradeWorld({ students: 8 })
  await saveRules(world)
  await expectGradebookUpToDate()
})
afterAll(async () => { await world?.close() })
afterEach(() => { world.sim.faults.clear() })

const stateOf = async (student: string) =>
  (await world.api('inst', 'GET', '/api/v1/grades')).body.students.find((s: { studentUserId: string }) => s.studentUserId === world.people[student]?.userId)

it('retries 500 answers until every latest score is in', async () => {
  world.sim.faults.add({ route: 'scores', status: 500, times: 4 })
  await recordSession(world, 's1')
  await recordSession(world, 's2')
  await recordSession(world, 's1')
  await expectGradebookUpToDate()
  // The LMS holds the score a moment before the worker records its answer (and so the error as resolved).
  await eventually(async () => {
    const status = (await world.api('inst', 'GET', '/api/v1/grades')).body
    expect(status.errors.some((e: { error: string, resolved: boolean }) => e.error.startsWith('HTTP 500') && e.resolved)).toBe(true)
  })
})

it('waits as long as a 429 asks in Retry-After', async () => {
  world.sim.faults.add({ route: 'scores', status: 429, retryAfterSeconds: 1, times: 1 })
  const started = Date.now()
  await recordSession(world, 's3')
  await eventually(() => expect(world.gradebook().get('s3')?.scoreGiven).toBe(30))
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
  await expectGradebookUpToDate()
})

it('retries requests that time out, and the late answer to an older score changes nothing', async () => {
  world.sim.faults.add({ route: 'scores', latencyMs: 1500, times: 2 })
  const posts = world.sim.stats.scorePosts
  await recordSession(world, 's4')
  await eventually(() => expect(world.sim.stats.scorePosts).toBeGreaterThan(posts)) // the older score is in flight
  await recordSession(world, 's4')
  await eventually(() => expect(world.sim.faults.held).toBe(0)) // both late answers have gone out
  await expectGradebookUpToDate()
  expect(world.gradebook().get('s4')?.scoreGiven).toBe(60)
})

it('gets a new token once when the platform refuses an expired one', async () => {
  await expectGradebookUpToDate()
  const tokens = world.sim.stats.tokenRequests
  world.sim.expireAllTokens()
  await recordSession(world, 's5')
  await recordSession(world, 's6')
  await expectGradebookUpToDate()
  expect(world.sim.stats.tokenRequests).toBe(tokens + 1)
})

it('retries scores the LMS refuses with 401 a few times in a row, each time with a fresh token, showing nothing', async () => {
  await expectGradebookUpToDate()
  await world.app.settled()
  const tokens = world.sim.stats.tokenRequests
  // Each attempt is refused twice: with the cached token, then with a fresh one.
  world.sim.faults.add({ route: 'scores', status: 401, times: 4 })
  await recordSession(world, 's7')
  await expectGradebookUpToDate()
  await eventually(async () => expect((await stateOf('s7'))?.state).toBe('synced'))
  expect(world.sim.stats.tokenRequests).toBeGreaterThanOrEqual(tokens + 3)
  const status = (await world.api('inst', 'GET', '/api/v1/grades')).body
  expect(status.errors.filter((e: { statusCode: number | null }) => e.statusCode === 401)).toEqual([])
})

it('shows a 401 that persists on the Grades page, and sends the score once the LMS accepts again', async () => {
  await world.app.settled()
  world.sim.faults.add({ route: 'scores', status: 401, times: 1000 })
  await recordSession(world, 's8')
  const refused = await eventually(async () => {
    const row = await stateOf('s8')
    expect(row?.lastError).toMatch(/^The LMS refused Mentorlink's access 8 times in a row \(HTTP 401/)
    return row
  })
  expect(refused.state).toBe('pending')
  expect(refused.attempts).toBe(8)
  const page = await world.page('inst', '/instructor/grades')
  expect(page.html).toContain('ask your LMS administrator to check Mentorlink&#x27;s registration')
  world.sim.faults.clear()
  await expectGradebookUpToDate()
  await eventually(async () => expect((await stateOf('s8'))?.state).toBe('synced'))
})

it('shows a permanent 400 as failed with its reason, and sends everyone else\'s', async () => {
  // A recompute the last test's record scheduled would hold the course: the sync below must run now.
  await world.app.settled()
  world.sim.faults.add({ route: 'scores', status: 400, times: 1, body: { errors: [{ message: 'Incorrect score received' }] } })
  const posts = world.sim.stats.scorePosts
  expect((await world.api('inst', 'POST', '/api/v1/grades/sync')).body).toMatchObject({ status: 'done', enqueued: 8 })
  await eventually(() => expect(world.sim.stats.scorePosts).toBe(posts + 8))
  const status = await eventually(async () => {
    const body = (await world.api('inst', 'GET', '/api/v1/grades')).body
    expect(body.counts).toMatchObject({ synced: 7, failed: 1 })
    return body
  })
  const failed = status.students.find((s: { state: string }) => s.state === 'failed')
  expect(failed.lastError).toMatch(/^HTTP 400: .*Incorrect score received/)
  const page = await world.page('inst', '/instructor/grades')
  expect(page.html).toContain('Failed')
  expect(page.html).toContain('Incorrect score received')

  const retried = await world.api('inst', 'POST', '/api/v1/grades/retry', { studentUserId: failed.studentUserId })
  expect(retried.body).toEqual({ retried: 1 })
  await eventually(async () => expect((await world.api('inst', 'GET', '/api/v1/grades')).body.counts).toMatchObject({ synced: 8, failed: 0 }))
})

it('records the platform refusing a student who is no longer a learner, without holding up the others', async () => {
  world.sim.setMemberStatus(COURSE, 's6', 'Inactive')
  await recordSession(world, 's6')
  await recordSession(world, 's5')
  await eventually(async () => expect((await stateOf('s6'))?.state).toBe('failed'))
  expect((await stateOf('s6')).lastError).toMatch(/^HTTP 422: .*not a student/)
  await expectGradebookUpToDate(['s6'])
  // The LMS has s5's score; the worker records the result just after it hears back.
  await eventually(async () => expect((await stateOf('s5'))?.state).toBe('synced'))
})
