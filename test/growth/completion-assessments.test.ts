import { apiAs, pageAs, startWorld, type World } from '../activities/support'
import { DEFAULT_RULES } from '../../src/domain/completion/rules'
import { ratingsFor } from './support'

/** Completion rules may require self-assessments (a number of points submitted, not a score). */
let world: World
let api: ReturnType<typeof apiAs>
let keys: string[] = []

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  keys = ((await api('s1', 'GET', '/api/v1/competencies')).body.competencies as Array<{ key: string }>).map((c) => c.key)
})
afterAll(async () => { await world?.close() })

const requirements = (assessments?: { need: number, points: number }) => ({
  ...DEFAULT_RULES.requirements, sessions: { need: 0, points: 0 }, meetings: { need: 0, points: 0 }, fieldTrips: { need: 0, points: 0 },
  shortGoals: { need: 0, points: 0 }, longGoals: { need: 0, points: 0 }, reflections: { need: 1, points: 10 }, ...(assessments ? { assessments } : {})
})
const own = async (who: string) => ((await api(who, 'GET', '/api/v1/completion/progress')).body as Array<{ items: Array<{ requirement: string, have: number, need: number, met: boolean }> }>)[0]?.items.find((i) => i.requirement === 'assessments')

it('keeps rules without the requirement valid (not required), and refuses more than one per point', async () => {
  const { assessments: _left, ...without } = requirements()
  const saved = await api('instructor', 'PUT', '/api/v1/completion/rules', { requirements: without, partialCredit: true, runningScores: 'shown' })
  expect(saved.status).toBe(200)
  expect(saved.body.rules.requirements.assessments).toEqual({ need: 0, points: 0 })
  const tooMany = await api('instructor', 'PUT', '/api/v1/completion/rules', { requirements: requirements({ need: 4, points: 10 }), partialCredit: true, runningScores: 'shown' })
  expect(tooMany.status).toBe(400)
  expect(tooMany.body.message).toContain('must be a whole number from 0 to 3 (one self-assessment per point)')
})

it('counts a student\'s submitted self-assessments (the mentor\'s do not count for them)', async () => {
  const saved = await api('instructor', 'PUT', '/api/v1/completion/rules', { requirements: requirements({ need: 2, points: 20 }), partialCredit: true, runningScores: 'shown' })
  expect(saved.status).toBe(200)
  expect(await own('s1')).toEqual({ requirement: 'assessments', label: 'Self-assessments submitted (start, mid-term, end)', have: 0, need: 2, points: 20, earned: 0, met: false })
  expect((await api('m1', 'POST', '/api/v1/assessments', { point: 'start', studentUserId: world.people.s1?.userId, ratings: ratingsFor(keys) })).status).toBe(201)
  expect((await own('s1'))?.have).toBe(0)
  expect((await api('s1', 'POST', '/api/v1/assessments', { point: 'start', ratings: ratingsFor(keys) })).status).toBe(201)
  expect(await own('s1')).toMatchObject({ have: 1, need: 2, earned: 10, met: false })
  // The instructor's view of the course agrees, for every student.
  const course = (await api('instructor', 'GET', '/api/v1/completion/progress')).body as Array<{ name: string, items: Array<{ requirement: string, have: number }> }>
  expect(course.map((s) => [s.name, s.items.find((i) => i.requirement === 'assessments')?.have])).toEqual([['Lucia Ferreira', 1], ['Priya Raman', 0], ['Tomasz Nowak', 0]])
  // So do the pages: the Completion page's standings and the home pages' progress count what was submitted.
  const page = pageAs(world)
  const line = 'Self-assessments submitted (start, mid-term, end): 1 of 2'
  for (const [who, path] of [['instructor', '/instructor/completion'], ['s1', '/student'], ['m1', '/mentor']] as const) {
    const res = await page(who, path)
    expect([who, res.status, res.html.includes(line)]).toEqual([who, 200, true])
  }
})
