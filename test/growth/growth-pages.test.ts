import { parse } from 'csv-parse/sync'
import { apiAs, expectAccessible, followAs, formAs, pageAs, startWorld, type World } from '../activities/support'
import { addCohort, addExternalMentor, ratingsFor, type Cohort } from './support'

/**
 * The pages of issue 19: the instructor's competency editor, the rating forms of students and mentors with the
 * sealed reveal, each student's growth, the course's Growth page (figures withheld below 5 students, shown from 5),
 * the CSV of every rating; and who may open each.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
let follow: ReturnType<typeof followAs>
let cohort: Cohort
let keys: string[] = []
const id = (key: string): string => world.people[key]?.userId ?? ''

// Leadership in course D, [mentor start, mentor end, self start, self end] (the statistics test's data).
const LEADERSHIP = [[2, 4, 3, 4], [3, 3, 3, 5], [1, 3, 1, 3], [4, 3, 5, 2], [2, 3, 2, 5], [3, 5, 3, 4]] as const

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
  follow = followAs(world)
  keys = ((await api('s1', 'GET', '/api/v1/competencies')).body.competencies as Array<{ key: string }>).map((c) => c.key)
  cohort = await addCohort(world)
  for (const [i, student] of cohort.students.entries()) {
    const [ms, me, ss, se] = LEADERSHIP[i] as readonly number[]
    for (const [point, self, mentor] of [['start', ss, ms], ['end', se, me]] as const) {
      const a = await api(student.key, 'POST', '/api/v1/assessments', { point, ratings: ratingsFor(keys, { leadership: self as number }) })
      const b = await api('dMentor', 'POST', '/api/v1/assessments', { point, studentUserId: student.userId, ratings: ratingsFor(keys, { leadership: mentor as number }) })
      if (a.status !== 201 || b.status !== 201) throw new Error(`cohort ratings: ${a.status} ${b.status} ${JSON.stringify(a.body)}`)
    }
  }
})
afterAll(async () => { await world?.close() })

describe('the competency editor', () => {
  it('lists the competencies with their rubrics, in the instructor\'s navigation', async () => {
    const res = await page('instructor', '/instructor/competencies')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    expect(res.html).toMatch(/<a href="\/instructor\/competencies\?session[^"]*" aria-current="page">Competencies<\/a>/)
    expect(res.html).toContain('<h2 id="competency-leadership">Leadership</h2>')
    expect(res.html).toContain('Inspires and develops others; leads through ambiguity and conflict.')
    expect(res.html).toContain('Add a competency')
    // The instructor also teaches course D on this LMS: it is offered to copy from.
    expect(res.html).toMatch(/<option value="[0-9a-f]{24}">Course D<\/option>/)
  })

  it('adds a competency through the form, naming each problem by its field first', async () => {
    const blank = await page('instructor', '/instructor/competencies/new')
    expect(blank.status).toBe(200)
    expectAccessible(blank.html)
    const revision = /name="revision" value="(\d+)"/.exec(blank.html)?.[1] ?? ''
    const fields = { revision, name: 'Board presence', description: 'Holds a boardroom', level1: 'a', level2: 'b', level3: ' ', level4: 'd', level5: 'e' }
    const refused = await form('instructor', '/instructor/competencies', fields)
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('Level 3: describe it in words')
    expect(refused.html).toMatch(/id="field-level3"[^>]*aria-invalid="true"/)
    expect(refused.html).toContain('value="Board presence"')
    const clash = await form('instructor', '/instructor/competencies', { ...fields, name: 'leadership', level3: 'c' })
    expect(clash.status).toBe(409)
    expect(clash.html).toContain('&quot;leadership&quot; is already a competency of this course')
    const added = await form('instructor', '/instructor/competencies', { ...fields, level3: 'c' })
    expect(added.status).toBe(303)
    const after = await follow('instructor', added.location)
    expect(after.html).toContain('Competency added.')
    expect(after.html).toContain('<h2 id="competency-board-presence">Board presence</h2>')
  })

  it('edits and removes competencies from the revision shown', async () => {
    const edit = await page('instructor', '/instructor/competencies/board-presence/edit')
    expect(edit.status).toBe(200)
    const revision = /name="revision" value="(\d+)"/.exec(edit.html)?.[1] ?? ''
    const saved = await form('instructor', '/instructor/competencies/board-presence', { revision, name: 'Boardroom presence', description: 'Holds a boardroom', level1: 'a', level2: 'b', level3: 'c', level4: 'd', level5: 'e' })
    expect(saved.status).toBe(303)
    // Back to the card just edited, not the top of the list; Cancel goes there too.
    expect(saved.location).toMatch(/^\/instructor\/competencies\?notice=saved&session=[^#]+#competency-board-presence$/)
    expect(edit.html).toMatch(/<a href="\/instructor\/competencies\?session(=|&#x3D;)[^"#]+#competency-board-presence">Cancel<\/a>/)
    // A form from the old revision is refused.
    const stale = await form('instructor', '/instructor/competencies/board-presence/remove', { revision })
    expect(stale.status).toBe(409)
    expect(stale.html).toContain('Someone changed the competencies since you opened them')
    const removed = await form('instructor', '/instructor/competencies/board-presence/remove', { revision: String(Number(revision) + 1) })
    expect(removed.status).toBe(303)
    expect((await api('instructor', 'GET', '/api/v1/competencies')).body.competencies.map((c: { key: string }) => c.key)).toEqual(keys)
  })

  it('is locked once the first assessment is in: no edit links, and the forms refuse', async () => {
    const res = await page('dInstructor', '/instructor/competencies')
    expect(res.status).toBe(200)
    expect(res.html).toMatch(/Locked since \d{4}-\d{2}-\d{2}:/)
    expect(res.html).not.toContain('Add a competency')
    expect(res.html).not.toContain('/edit?')
    expect((await page('dInstructor', '/instructor/competencies/new')).status).toBe(409)
    const tried = await form('dInstructor', '/instructor/competencies', { revision: '1', name: 'X', description: 'x', level1: 'a', level2: 'b', level3: 'c', level4: 'd', level5: 'e' })
    expect(tried.status).toBe(409)
    expect(tried.html).toContain('The competencies cannot be changed any more: the first assessment has been submitted')
  })
})

describe('rating forms and the sealed reveal on the pages', () => {
  it('prompts the student and the mentor on their home pages while an open point waits for their ratings', async () => {
    const student = await page('s1', '/student')
    expect(student.status).toBe(200)
    expectAccessible(student.html)
    expect(student.html).toContain('<h2 id="assessments-todo-title">Rate yourself</h2>')
    expect(student.html).toMatch(/<li>Start of term: was due \d{4}-\d{2}-\d{2}, still accepted<\/li>/)
    expect(student.html).not.toMatch(/<li>Mid-term:/)
    expect(student.html).toMatch(/<a href="\/student\/assessments\?session[^"]*">Open your assessments<\/a>/)
    const mentor = await page('m1', '/mentor')
    expect(mentor.status).toBe(200)
    expectAccessible(mentor.html)
    expect(mentor.html).toContain('<h2 id="assessments-rate-title">Assessments to rate</h2>')
    expect(mentor.html).toMatch(new RegExp(`<a href="/mentor/mentees/${id('s1')}/assessments\\?session[^"]*">Lucia Ferreira</a>: Start of term \\(was due`))
    expect((await page('instructor', '/instructor')).html).not.toContain('assessments-rate-title')
  })

  it('lets a student rate themselves, naming every competency left unrated, and keeps what was chosen', async () => {
    const open = await page('s1', '/student/assessments')
    expect(open.status).toBe(200)
    expectAccessible(open.html)
    expect(open.html).toMatch(/<a href="\/student\/assessments\?session[^"]*" aria-current="page">Assessments<\/a>/)
    expect(open.html).toContain('<legend>Leadership</legend>')
    expect(open.html).toContain('Submit the Start of term assessment')
    const revision = /name="frameworkRevision" value="(\d+)"/.exec(open.html)?.[1] ?? ''
    const partial = await form('s1', '/student/assessments/start', { frameworkRevision: revision, 'level-leadership': '4', 'comment-leadership': 'I chaired two meetings' })
    expect(partial.status).toBe(400)
    expect(partial.html).toContain('action="/student/assessments/start#point-start"')
    expect(partial.html).toContain('<a href="#rate-start-rhetoric">Rhetoric: choose a level from 1 to 5</a>')
    expect(partial.html).toMatch(/id="rate-start-leadership-4" name="level-leadership" value="4" checked/)
    expect(partial.html).toContain('I chaired two meetings</textarea>')
    const fields = Object.fromEntries([...keys.map((k) => [`level-${k}`, '2']), ['level-leadership', '4'], ['comment-leadership', 'I chaired two meetings'], ['frameworkRevision', revision]])
    const done = await form('s1', '/student/assessments/start', fields)
    expect(done.status).toBe(303)
    const after = await follow('s1', done.location)
    expect(after.html).toContain('Submitted. Your ratings are final')
    expect(after.html).toContain('I chaired two meetings')
    expect(after.html).toContain('Your mentor has not rated you yet.')
    const again = await form('s1', '/student/assessments/start', fields)
    expect(again.status).toBe(409)
    expect(again.html).toContain('was already submitted; submitted assessments are final')
  })

  it('shows the mentor the self-assessment only after they rated, and then the student the mentor\'s', async () => {
    const list = await page('m1', '/mentor/assessments')
    expect(list.status).toBe(200)
    expectAccessible(list.html)
    expect(list.html).toContain('Lucia Ferreira')
    expect(list.html).not.toContain('Priya Raman')
    const before = await page('m1', `/mentor/mentees/${id('s1')}/assessments`)
    expect(before.status).toBe(200)
    expect(before.html).toContain('Lucia Ferreira has submitted; you see their ratings once yours are in')
    expect(before.html).not.toContain('I chaired two meetings')
    const revision = /name="frameworkRevision" value="(\d+)"/.exec(before.html)?.[1] ?? ''
    const rated = await form('m1', `/mentor/mentees/${id('s1')}/assessments/start`, Object.fromEntries([...keys.map((k) => [`level-${k}`, '3']), ['comment-rhetoric', 'Clear and calm'], ['frameworkRevision', revision]]))
    expect(rated.status).toBe(303)
    const after = await follow('m1', rated.location)
    expect(after.html).toContain('I chaired two meetings')
    // The second side in is told the first side's ratings are there now, not that they will come.
    expect(after.html).toContain('both sides are in: the other side&#x27;s ratings are shown below yours.')
    const student = await page('s1', '/student/assessments')
    expect(student.html).toContain('Clear and calm')
    // The growth chart: one SVG per competency with its title and a description of both sides.
    expect(student.html).toMatch(/<svg class="small-chart"[^>]*role="img" aria-labelledby="competency-chart-0-title competency-chart-0-desc"/)
    expect(student.html).toContain('<desc id="competency-chart-0-desc">Leadership. Self-rating: Start 4, Mid-term none, End none. Mentor&#x27;s rating: Start 3, Mid-term none, End none.</desc>')
    // Both rated the open point: neither home page prompts for it any more.
    expect((await page('s1', '/student')).html).not.toContain('assessments-todo-title')
    expect((await page('m1', '/mentor')).html).not.toContain(`/mentor/mentees/${id('s1')}/assessments`)
  })

  it('refuses a mentor\'s form for a student who is not their mentee', async () => {
    expect((await page('m2', `/mentor/mentees/${id('s1')}/assessments`)).status).toBe(404)
    expect((await form('m2', `/mentor/mentees/${id('s1')}/assessments/mid`, { 'level-leadership': '3' })).status).toBe(404)
    expect((await page('bMentor', `/mentor/mentees/${id('s1')}/assessments`)).status).toBe(404)
    await addExternalMentor(world, 's3')
    expect((await page('ext', `/mentor/mentees/${id('s3')}/assessments`)).status).toBe(200)
    expect((await page('ext', `/mentor/mentees/${id('s1')}/assessments`)).status).toBe(404)
    expect((await page('ext', '/mentor/assessments')).html).toContain('Priya Raman')
  })

  it('keeps each role to its own pages', async () => {
    for (const [who, path] of [
      ['s1', '/instructor/growth'], ['m1', '/instructor/growth'], ['s1', '/instructor/growth/ratings.csv'], ['m1', '/instructor/competencies'],
      ['s1', `/instructor/students/${id('s1')}/growth`], ['ext', '/instructor/growth'], ['instructor', '/student/assessments'], ['s1', '/mentor/assessments']
    ] as const) expect([who, path, (await page(who, path)).status]).toEqual([who, path, 403])
    expect((await page('instructor', `/instructor/students/${id('s1')}/growth`)).status).toBe(200)
    // The student's record links there, for the instructor and the mentor.
    expect((await page('instructor', `/instructor/students/${id('s1')}`)).html).toMatch(new RegExp(`<a href="/instructor/students/${id('s1')}/growth\\?session[^"]*">Assessments and growth`))
    expect((await page('m1', `/mentor/mentees/${id('s1')}`)).html).toMatch(new RegExp(`<a href="/mentor/mentees/${id('s1')}/assessments\\?session[^"]*">Assessments and growth`))
    expect((await page('bInstructor', `/instructor/students/${id('s1')}/growth`)).status).toBe(404)
  })
})

describe('the Growth page', () => {
  it('withholds every figure in a course where fewer than 5 students contribute', async () => {
    const res = await page('instructor', '/instructor/growth')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    expect(res.html).toContain('No competency has the 5 students with a start and an end rating that its figures need.')
    expect(res.html).toContain('Withheld (0 of 5 needed)')
    // Low feedback is part of how a pairing is going: the at-risk list is one link away.
    expect(res.html).toMatch(/<a href="\/instructor\/at-risk\?session[^"]*">Pairs at risk \(low feedback, no activity\)<\/a>/)
    // On a band over the grid lines, which would strike through the words.
    expect(res.html).toMatch(/<rect x="190" y="\d+" width="410" height="30" class="chart-withheld-band"><\/rect><text x="194" y="\d+" class="chart-axis chart-withheld">Withheld \(0 of 5 needed\)<\/text>/)
    expect(res.html).not.toContain('class="chart-dot"')
  })

  it('shows the change with its interval, its distribution and the agreement once 5 or more contribute', async () => {
    const res = await page('dInstructor', '/instructor/growth')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    // Both sides counted out of the same students, so the two columns compare.
    expect(res.html).toContain('<th scope="row">Start of term</th><td>6 of 6</td><td>6 of 6</td>')
    // Leadership: mean +1.00, 95% CI −0.33 to +2.33, 4 of 6 improved (test/domain/growth-statistics.test.ts).
    expect(res.html).toContain('<th scope="row">Leadership</th><td>6</td><td>+1.00</td><td>−0.33 to +2.33</td><td>1.26</td><td>67%</td>')
    expect(res.html).toContain('<desc id="change-distribution-0-desc">Leadership: 1 changed by −1, 1 changed by 0, 1 changed by +1, 3 changed by +2.</desc>')
    expect(res.html).toContain('<th scope="row">Leadership</th><td>6</td><td>12</td><td>83%</td><td>50%</td><td>0.67</td>')
    expect(res.html.match(/class="chart-dot"/g)).toHaveLength(7)
    const bySelf = await page('dInstructor', '/instructor/growth?side=self')
    expect(bySelf.html).toContain('<th scope="row">Leadership</th><td>6</td><td>+1.00</td>')
    expect(bySelf.html).toContain('<td>83%</td>')
  })

  it('lists late and missing assessments with links to each student', async () => {
    const res = await page('instructor', '/instructor/growth')
    expect(res.html).toMatch(/<a href="\/instructor\/students\/[0-9a-f]{24}\/growth\?session[^"]*">Tomasz Nowak<\/a><\/th><td>Start of term<\/td><td>Self-rating<\/td>/)
  })
})

describe('the programme report', () => {
  it('gives participation, growth, assessments and completion as course totals, on a printable page and as JSON', async () => {
    const res = await page('dInstructor', '/instructor/report')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    expect(res.html).toContain('<h1>Programme report: Course D</h1>')
    expect(res.html).toContain('<dt>Students</dt><dd>6</dd>')
    expect(res.html).toContain('<dt>Mentors with mentees</dt><dd>1</dd>')
    expect(res.html).toContain('<th scope="row">Leadership</th><td>6</td><td>+1.00</td><td>−0.33 to +2.33</td>')
    expect(res.html).toContain('<th scope="row">End of term</th><td>6</td><td>6</td>')
    expect(res.html).toContain('0 of 6 students (0%) have completed the programme under Mentorlink\'s default completion rules')
    const json = await api('dInstructor', 'GET', '/api/v1/report')
    expect(json.status).toBe(200)
    expect(json.body).toMatchObject({ course: { title: 'Course D' }, participation: { students: 6, pairedStudents: 6, mentors: 1, sessions: 0 }, completion: { students: 6, complete: 0, rulesSaved: false } })
    expect(json.body.growth[0]).toMatchObject({ competency: { key: 'leadership' }, change: { hidden: false, students: 6, meanChange: 1 } })
    // Course A has three students: its growth is withheld in the report too.
    expect((await api('instructor', 'GET', '/api/v1/report')).body.growth.every((g: { change: { hidden: boolean } }) => g.change.hidden)).toBe(true)
    for (const who of ['s1', 'm1', 'ext', 'd1', 'dMentor']) {
      expect((await api(who, 'GET', '/api/v1/report')).status).toBe(403)
      expect((await page(who, '/instructor/report')).status).toBe(403)
    }
  })
})

describe('the CSV of every rating', () => {
  it('has one row per rating with the student, point, side, competency, level and comment, spreadsheet-safe', async () => {
    const res = await fetch(`${world.app.config.publicUrl}/instructor/growth/ratings.csv?session=${encodeURIComponent(cohort.instructor.token)}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="d-ratings.csv"')
    const rows = parse(await res.text(), { columns: true }) as Array<Record<string, string>>
    expect(rows).toHaveLength(6 * 2 * 2 * 7)
    expect(rows.find((r) => r.student === 'Dana D4' && r.point === 'end' && r.rated_by === 'self' && r.competency_key === 'leadership')).toMatchObject({ competency: 'Leadership', level: '2', late: 'no' })
    await api('s2', 'POST', '/api/v1/assessments', { point: 'start', ratings: keys.map((k) => ({ competency: k, level: 3, comment: k === 'rhetoric' ? '=HYPERLINK("http://x")' : '' })) })
    const courseA = await (await fetch(`${world.app.config.publicUrl}/instructor/growth/ratings.csv?session=${encodeURIComponent(world.people.instructor?.token ?? '')}`)).text()
    expect(courseA).not.toContain('Dana')
    expect(courseA).toContain('Lucia Ferreira')
    // A comment a spreadsheet would run as a formula is kept as text.
    expect(courseA).toContain('"\'=HYPERLINK(""http://x"")"')
  })
})
