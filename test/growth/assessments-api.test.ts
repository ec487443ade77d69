import { apiAs, day, startWorld, TERM, type World } from '../activities/support'
import { addDays } from '../../src/domain/term/calendar-day'
import { addExternalMentor, ratingsFor } from './support'

/**
 * Assessments at the term's points: the sealed reveal (neither side sees the other's ratings before submitting
 * their own), final submissions, late and missing ones for the instructor, and who may do what.
 */
let world: World
let api: ReturnType<typeof apiAs>
let keys: string[] = []
const id = (key: string): string => world.people[key]?.userId ?? ''

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  keys = ((await api('s1', 'GET', '/api/v1/competencies')).body.competencies as Array<{ key: string }>).map((c) => c.key)
})
afterAll(async () => { await world?.close() })

const submit = async (who: string, point: string, studentKey?: string, level = 3) =>
  await api(who, 'POST', '/api/v1/assessments', { point, ...(studentKey ? { studentUserId: id(studentKey) } : {}), ratings: ratingsFor(keys, level) })
const view = async (who: string, studentKey?: string) =>
  await api(who, 'GET', `/api/v1/assessments${studentKey ? `?studentUserId=${id(studentKey)}` : ''}`)
const at = (res: { body: unknown }, point: string) => (res.body as Array<{ point: { key: string } }>).find((p) => p.point.key === point) as unknown as {
  state: string, self: { submitted: boolean, sealed: boolean, assessment: { ratings: Array<{ level: number }> } | null }, mentor: { submitted: boolean, sealed: boolean, assessment: { ratings: Array<{ level: number }> } | null }
}

describe('assessment points', () => {
  it('follow the term when it has no milestones for them: start due two weeks in, mid-term half way, end on the last day', async () => {
    const res = await api('s1', 'GET', '/api/v1/assessments/points')
    expect(res.status).toBe(200)
    expect(res.body).toEqual([
      { key: 'start', label: 'Start of term', opens: TERM.start, due: addDays(TERM.start, 14), milestone: null },
      { key: 'mid', label: 'Mid-term', opens: addDays(TERM.start, 31), due: addDays(TERM.start, 45), milestone: null },
      { key: 'end', label: 'End of term', opens: addDays(TERM.end, -14), due: TERM.end, milestone: null }
    ])
  })

  it('take their due days from the Term page\'s milestones that name them', async () => {
    const milestones = [{ title: 'Kick-off', date: day(-20) }, { title: 'Mid-term review', date: day(-3) }, { title: 'Field trip', date: day(2) }, { title: 'Final presentations', date: day(10) }]
    expect((await api('instructor', 'PUT', '/api/v1/term', { milestones })).status).toBe(200)
    const res = await api('m1', 'GET', '/api/v1/assessments/points')
    expect(res.body).toEqual([
      { key: 'start', label: 'Start of term', opens: TERM.start, due: day(-20), milestone: 'Kick-off' },
      { key: 'mid', label: 'Mid-term', opens: day(-17), due: day(-3), milestone: 'Mid-term review' },
      { key: 'end', label: 'End of term', opens: day(-4), due: day(10), milestone: 'Final presentations' }
    ])
  })
})

describe('the sealed reveal', () => {
  it('keeps the mentor\'s ratings from the student until the student has submitted their own', async () => {
    expect((await submit('m1', 'start', 's2', 4)).status).toBe(201)
    const before = at(await view('s2'), 'start')
    expect(before.mentor).toEqual({ submitted: true, sealed: true, assessment: null })
    expect(before.self).toEqual({ submitted: false, sealed: false, assessment: null })
    // The mentor sees their own ratings meanwhile.
    expect(at(await view('m1', 's2'), 'start').mentor.assessment?.ratings.map((r) => r.level)).toEqual(keys.map(() => 4))

    expect((await submit('s2', 'start', undefined, 2)).status).toBe(201)
    const after = at(await view('s2'), 'start')
    expect(after.self.assessment?.ratings.map((r) => r.level)).toEqual(keys.map(() => 2))
    expect(after.mentor).toMatchObject({ submitted: true, sealed: false })
    expect(after.mentor.assessment?.ratings.map((r) => r.level)).toEqual(keys.map(() => 4))
  })

  it('keeps the self-assessment from the mentor until the mentor has submitted theirs', async () => {
    expect((await submit('s1', 'start', undefined, 2)).status).toBe(201)
    expect(at(await view('m1', 's1'), 'start').self).toEqual({ submitted: true, sealed: true, assessment: null })
    expect(at(await view('s1'), 'start').self.assessment?.ratings.map((r) => r.level)).toEqual(keys.map(() => 2))
    expect((await submit('m1', 'start', 's1', 3)).status).toBe(201)
    expect(at(await view('m1', 's1'), 'start').self.assessment?.ratings.map((r) => r.level)).toEqual(keys.map(() => 2))
  })

  it('shows the instructor both sides at once', async () => {
    expect((await submit('s3', 'mid', undefined, 3)).status).toBe(201)
    const res = at(await view('instructor', 's3'), 'mid')
    expect(res.self).toMatchObject({ submitted: true, sealed: false })
    expect(res.mentor).toEqual({ submitted: false, sealed: false, assessment: null })
  })
})

describe('submissions', () => {
  it('are final: a second one for the same point is refused and the first stays', async () => {
    const again = await submit('s1', 'start', undefined, 5)
    expect(again.status).toBe(409)
    expect(again.body.message).toBe('This assessment (Start of term) was already submitted; submitted assessments are final')
    expect(at(await view('s1'), 'start').self.assessment?.ratings.map((r) => r.level)).toEqual(keys.map(() => 2))
  })

  it('rate every competency once from 1 to 5, and name what is wrong', async () => {
    const missing = await api('s1', 'POST', '/api/v1/assessments', { point: 'mid', ratings: ratingsFor(keys.slice(1)) })
    expect(missing.status).toBe(400)
    expect(missing.body.message).toBe(`ratings.${keys[0] as string}: Leadership: choose a level from 1 to 5`)
    const outOfRange = await api('s1', 'POST', '/api/v1/assessments', { point: 'mid', ratings: ratingsFor(keys, 6) })
    expect(outOfRange.status).toBe(400)
    expect(outOfRange.body.message).toContain('must be a whole number from 1 to 5')
    const unknown = await api('s1', 'POST', '/api/v1/assessments', { point: 'mid', ratings: [...ratingsFor(keys), { competency: 'juggling', level: 3 }] })
    expect(unknown.status).toBe(400)
    expect(unknown.body.message).toContain('"juggling" is not a competency of this course')
    const badPoint = await api('s1', 'POST', '/api/v1/assessments', { point: 'later', ratings: ratingsFor(keys) })
    expect(badPoint.status).toBe(400)
    expect(badPoint.body.message).toContain('point')
    const long = await api('s1', 'POST', '/api/v1/assessments', { point: 'mid', ratings: keys.map((k) => ({ competency: k, level: 3, comment: 'x'.repeat(1001) })) })
    expect(long.status).toBe(400)
    expect(long.body.message).toContain('must be at most 1000 characters')
  })

  it('are accepted only once the point opens', async () => {
    expect((await api('instructor', 'PUT', '/api/v1/term', { milestones: [{ title: 'Kick-off', date: day(-20) }, { title: 'Mid-term review', date: day(-3) }, { title: 'Final presentations', date: day(40) }] })).status).toBe(200)
    const early = await submit('s2', 'end')
    expect(early.status).toBe(409)
    expect(early.body.message).toBe(`point: opens on ${day(26)}`)
  })
})

describe('late and missing assessments', () => {
  it('are listed for the instructor: missing after the due day, late when submitted after it', async () => {
    const res = await api('instructor', 'GET', '/api/v1/assessments/follow-ups')
    expect(res.status).toBe(200)
    const rows = (res.body as Array<{ name: string, point: string, side: string, state: string }>).map((f) => `${f.name} ${f.point} ${f.side} ${f.state}`).sort()
    // Start was due 20 days ago, mid-term 3 days ago; every start assessment came in after its due day.
    expect(rows).toEqual([
      'Lucia Ferreira mid mentor missing', 'Lucia Ferreira mid self missing', 'Lucia Ferreira start mentor late', 'Lucia Ferreira start self late',
      'Priya Raman mid mentor missing', 'Priya Raman mid self late', 'Priya Raman start mentor missing', 'Priya Raman start self missing',
      'Tomasz Nowak mid mentor missing', 'Tomasz Nowak mid self missing', 'Tomasz Nowak start mentor late', 'Tomasz Nowak start self late'
    ])
  })
})

describe('who may do what', () => {
  it('answers 401 without a session', async () => {
    for (const [method, path] of [['GET', '/api/v1/competencies'], ['GET', '/api/v1/assessments'], ['POST', '/api/v1/assessments'], ['GET', '/api/v1/growth'], ['GET', '/api/v1/assessments/follow-ups']]) {
      const res = await fetch(`${world.app.config.publicUrl}${path as string}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) })
      expect(res.status).toBe(401)
    }
  })

  it('lets a student rate and read only themselves', async () => {
    expect((await submit('s1', 'mid', 's2')).status).toBe(403)
    expect((await view('s1', 's2')).status).toBe(404)
    expect((await view('bStudent', 's1')).status).toBe(404)
  })

  it('lets a mentor rate and read only their current mentees', async () => {
    expect((await submit('m2', 'mid', 's1')).status).toBe(403)
    expect((await view('m2', 's1')).status).toBe(404)
    expect((await submit('bMentor', 'mid', 's1')).status).toBe(403)
    expect((await view('bMentor', 's1')).status).toBe(404)
    const unnamed = await api('m1', 'POST', '/api/v1/assessments', { point: 'mid', ratings: ratingsFor(keys) })
    expect(unnamed.status).toBe(400)
    expect(unnamed.body.message).toBe('studentUserId: is required: name the student')
    expect((await view('m1')).status).toBe(400)
  })

  it('treats an external mentor (no LMS account) as any mentor: their mentee only', async () => {
    await addExternalMentor(world, 's3')
    expect((await submit('ext', 'mid', 's3', 4)).status).toBe(201)
    expect(at(await view('ext', 's3'), 'mid').self).toMatchObject({ submitted: true, sealed: false })
    expect((await view('ext', 's1')).status).toBe(404)
    expect((await submit('ext', 'mid', 's1')).status).toBe(403)
    // The mentor before them no longer reads the student.
    expect((await view('m2', 's3')).status).toBe(404)
  })

  it('lets instructors read, never rate, and only in their own course', async () => {
    expect((await submit('instructor', 'mid', 's1')).status).toBe(403)
    expect((await view('instructor', 's1')).status).toBe(200)
    expect((await view('bInstructor', 's1')).status).toBe(404)
    const theirs = await api('bInstructor', 'GET', '/api/v1/assessments/follow-ups')
    expect(theirs.status).toBe(200)
    expect(JSON.stringify(theirs.body)).not.toContain(id('s1'))
    for (const who of ['s1', 'm1', 'ext']) {
      expect((await api(who, 'GET', '/api/v1/assessments/follow-ups')).status).toBe(403)
      expect((await api(who, 'GET', '/api/v1/growth')).status).toBe(403)
      expect((await api(who, 'GET', '/api/v1/competencies/sources')).status).toBe(403)
    }
  })
})

describe('course growth through the API', () => {
  it('withholds every cohort figure while fewer than 5 students contribute', async () => {
    const res = await api('instructor', 'GET', '/api/v1/growth')
    expect(res.status).toBe(200)
    expect(res.body.side).toBe('mentor')
    expect(res.body.minimumStudents).toBe(5)
    for (const c of res.body.competencies) {
      expect(c.change).toEqual({ hidden: true, students: 0 })
      expect(c.agreement.hidden).toBe(true)
      for (const m of c.means) expect(m.value.hidden).toBe(true)
    }
    expect(JSON.stringify(res.body)).not.toMatch(/"mean"|meanChange|meanAbsoluteDifference/)
    expect((await api('instructor', 'GET', '/api/v1/growth?side=peer')).status).toBe(400)
  })
})
