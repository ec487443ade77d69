import { apiAs, startWorld, type World } from '../activities/support'
import { DEFAULT_COMPETENCIES } from '../../src/domain/competencies/vocabulary'
import { addSecondCourse, ratingsFor } from './support'

/**
 * The competency framework: the seed's defaults, rubric validation, changes from the revision read, copying another
 * course's framework, and the lock the first assessment puts on it (also when both happen at once).
 */
let world: World
let api: ReturnType<typeof apiAs>

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
})
afterAll(async () => { await world?.close() })

const levels = (name: string) => [1, 2, 3, 4, 5].map((n) => `${name} at level ${n}`)
const competency = (name: string, key?: string) => ({ ...(key ? { key } : {}), name, description: `What ${name} covers`, levels: levels(name) })

describe('the default framework', () => {
  it('has the seven competencies of the source text, each with a described 1–5 rubric, for every role of the course', async () => {
    for (const who of ['instructor', 'm1', 's1']) {
      const res = await api(who, 'GET', '/api/v1/competencies')
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ revision: 0, locked: false })
      expect(res.body.competencies.map((c: { name: string }) => c.name)).toEqual([
        'Leadership', 'Decision-making', 'Bargaining and negotiation', 'Oral persuasion', 'Rhetoric', 'Networking', 'Goal setting'
      ])
      for (const c of res.body.competencies as Array<{ description: string, levels: string[] }>) {
        expect(c.description).not.toBe('')
        expect(c.levels).toHaveLength(5)
        for (const words of c.levels) expect(words.length).toBeGreaterThan(10)
      }
    }
  })
})

describe('rubric validation', () => {
  it.each([
    ['four levels', { competencies: [{ ...competency('Pitching'), levels: levels('x').slice(0, 4) }] }, 'competencies.0.levels', 'must describe exactly 5 levels, 1 to 5'],
    ['six levels', { competencies: [{ ...competency('Pitching'), levels: [...levels('x'), 'more'] }] }, 'competencies.0.levels', 'must describe exactly 5 levels, 1 to 5'],
    ['a level without words', { competencies: [{ ...competency('Pitching'), levels: ['a', 'b', '  ', 'd', 'e'] }] }, 'competencies.0.levels.2', 'level 3: describe it in words'],
    ['no name', { competencies: [{ ...competency('Pitching'), name: ' ' }] }, 'competencies.0.name', 'is required: name the competency'],
    ['a name too long', { competencies: [competency('N'.repeat(61))] }, 'competencies.0.name', 'must be at most 60 characters'],
    ['no description', { competencies: [{ ...competency('Pitching'), description: '' }] }, 'competencies.0.description', 'is required: say in a sentence what it covers'],
    ['a name used twice', { competencies: [competency('Pitching'), competency('pitching')] }, 'competencies.1.name', 'Competency 2: the name "pitching" is used twice'],
    ['no competency', { competencies: [] }, 'competencies', 'must list at least one competency'],
    ['sixteen competencies', { competencies: Array.from({ length: 16 }, (_, i) => competency(`C${i}`)) }, 'competencies', 'must list at most 15 competencies']
  ])('refuses %s with 400 naming the field', async (_name, body, field, message) => {
    const res = await api('instructor', 'PUT', '/api/v1/competencies', { revision: 0, ...body })
    expect(res.status).toBe(400)
    expect(res.body.message).toContain(message)
    expect(JSON.stringify(res.body)).toContain(field)
    expect((await api('instructor', 'GET', '/api/v1/competencies')).body.revision).toBe(0)
  })
})

describe('changing the framework before the first assessment', () => {
  it('is for instructors of the course only', async () => {
    const body = { revision: 0, competencies: [competency('Pitching')] }
    expect((await api('s1', 'PUT', '/api/v1/competencies', body)).status).toBe(403)
    expect((await api('m1', 'PUT', '/api/v1/competencies', body)).status).toBe(403)
    // Course B's instructor changes course B's framework, never course A's.
    expect((await api('bInstructor', 'PUT', '/api/v1/competencies', body)).status).toBe(200)
    expect((await api('instructor', 'GET', '/api/v1/competencies')).body.revision).toBe(0)
    expect((await api('bStudent', 'GET', '/api/v1/competencies')).body.competencies.map((c: { name: string }) => c.name)).toEqual(['Pitching'])
  })

  it('saves from the revision read, keeps keys, gives new competencies one, and refuses a change from an old revision', async () => {
    const current = (await api('instructor', 'GET', '/api/v1/competencies')).body
    const edited = [...current.competencies.slice(1), competency('Board presence')]
    const saved = await api('instructor', 'PUT', '/api/v1/competencies', { revision: current.revision, competencies: edited })
    expect(saved.status).toBe(200)
    expect(saved.body.revision).toBe(current.revision + 1)
    expect(saved.body.competencies.map((c: { key: string }) => c.key)).toEqual([...DEFAULT_COMPETENCIES.slice(1).map((c) => c.key), 'board-presence'])
    const stale = await api('instructor', 'PUT', '/api/v1/competencies', { revision: current.revision, competencies: current.competencies })
    expect(stale.status).toBe(409)
    expect(stale.body.message).toBe('Someone changed the competencies since you opened them: reload and make your change again')
  })

  it('copies the framework of another course the instructor teaches on the same LMS, and of no other course', async () => {
    const courseC = await addSecondCourse(world)
    const fromA = (await api('instructor', 'GET', '/api/v1/competencies')).body
    const sources = await api('instructorC', 'GET', '/api/v1/competencies/sources')
    expect(sources.status).toBe(200)
    expect(sources.body).toEqual([{ courseId: world.people.instructor?.courseId, title: 'Course A' }])
    const copied = await api('instructorC', 'POST', '/api/v1/competencies/copy', { revision: 0, sourceCourseId: world.people.instructor?.courseId })
    expect(copied.status).toBe(200)
    expect(copied.body).toMatchObject({ revision: 1, copiedFrom: world.people.instructor?.courseId, competencies: fromA.competencies })
    // Course B is on the same LMS, but this instructor does not teach it.
    const other = await api('instructorC', 'POST', '/api/v1/competencies/copy', { revision: 1, sourceCourseId: world.people.bInstructor?.courseId })
    expect(other.status).toBe(404)
    expect(other.body.message).toBe('sourceCourseId: is not another course you teach on this LMS')
    expect((await api('bInstructor', 'POST', '/api/v1/competencies/copy', { revision: 1, sourceCourseId: courseC.courseId })).status).toBe(404)
    expect((await api('s1', 'POST', '/api/v1/competencies/copy', { revision: 1, sourceCourseId: courseC.courseId })).status).toBe(403)
  })
})

describe('the lock of the first assessment', () => {
  it('holds when changes and the first assessments arrive at the same moment: what was rated is what is locked, and nothing changes after', async () => {
    const before = (await api('instructor', 'GET', '/api/v1/competencies')).body
    const keys = before.competencies.map((c: { key: string }) => c.key) as string[]
    const changes = Array.from({ length: 4 }, async (_, i) =>
      await api('instructor', 'PUT', '/api/v1/competencies', { revision: before.revision, competencies: [...before.competencies, competency(`Extra ${i}`)] }))
    const rated = { point: 'start', frameworkRevision: before.revision, ratings: ratingsFor(keys) }
    const self = api('s1', 'POST', '/api/v1/assessments', rated)
    const mentor = api('m1', 'POST', '/api/v1/assessments', { ...rated, studentUserId: world.people.s2?.userId })
    const answers = await Promise.all([...changes, self, mentor])
    const changed = answers.slice(0, 4).filter((a) => a.status === 200)
    expect(answers.slice(0, 4).map((a) => a.status).filter((s) => s !== 200 && s !== 409)).toEqual([])
    expect(changed.length).toBeLessThanOrEqual(1)
    const submitted = answers.slice(4).filter((a) => a.status === 201)
    for (const refused of answers.slice(4).filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409)
      expect(refused.body.message).toBe('The competencies changed while you were rating: reload the form and rate again')
    }
    // A change and an accepted assessment exclude each other: either the change won and every rating was refused,
    // or an assessment locked the framework it rated and every change was refused.
    expect(changed.length === 1 && submitted.length > 0).toBe(false)
    const after = (await api('instructor', 'GET', '/api/v1/competencies')).body
    expect(after.locked).toBe(submitted.length > 0)
    expect(after.competencies).toEqual(changed.length === 1 ? changed[0]?.body.competencies : before.competencies)
    for (const a of submitted) expect(a.body.ratings.map((r: { competency: string }) => r.competency)).toEqual(after.competencies.map((c: { key: string }) => c.key))

    // Whichever won, an assessment of what is there now locks it.
    const again = await api('s3', 'POST', '/api/v1/assessments', { point: 'start', frameworkRevision: after.revision, ratings: ratingsFor(after.competencies.map((c: { key: string }) => c.key)) })
    expect(again.status).toBe(201)
    const locked = (await api('instructor', 'GET', '/api/v1/competencies')).body
    expect(locked).toMatchObject({ locked: true, competencies: after.competencies })
  })

  it('races of many first assessments and changes leave one outcome every time', async () => {
    // Course B, again and again from its current revision: never a change accepted alongside an assessment.
    for (let round = 0; round < 3; round++) {
      const before = (await api('bInstructor', 'GET', '/api/v1/competencies')).body
      if (before.locked) break
      const keys = before.competencies.map((c: { key: string }) => c.key) as string[]
      const answers = await Promise.all([
        api('bInstructor', 'PUT', '/api/v1/competencies', { revision: before.revision, competencies: [...before.competencies, competency(`Round ${round}`)] }),
        api('bStudent', 'POST', '/api/v1/assessments', { point: 'start', frameworkRevision: before.revision, ratings: ratingsFor(keys) })
      ])
      expect([[200, 409], [409, 201]]).toContainEqual(answers.map((a) => a.status))
    }
  })

  it('refuses every later change with 409, and copying too', async () => {
    const current = (await api('instructor', 'GET', '/api/v1/competencies')).body
    const res = await api('instructor', 'PUT', '/api/v1/competencies', { revision: current.revision, competencies: current.competencies })
    expect(res.status).toBe(409)
    expect(res.body.message).toBe('The competencies cannot be changed any more: the first assessment has been submitted')
    const copy = await api('instructor', 'POST', '/api/v1/competencies/copy', { revision: current.revision, sourceCourseId: world.people.instructorC?.courseId })
    expect(copy.status).toBe(409)
    expect((await api('instructor', 'GET', '/api/v1/competencies')).body).toEqual(current)
  })
})
