import { callApi, getPage, postForm } from '../helpers/http'
import { startPoolWorld, type PoolWorld } from './support/pool-world'

let world: PoolWorld
let amara: string

const userId = async (sub: string) => String((await world.app.db.models.users.findOne({ sub }).lean())?._id)
const suggestions = async (token: string) =>
  (await callApi(world.base, token, 'GET', '/api/v1/pool/suggestions')).body.suggestions.map((s: { name: string }) => s.name)

beforeAll(async () => {
  world = await startPoolWorld()
  world.sim.addUser({ id: 'u-noemail', name: 'Nora Nomail', givenName: 'Nora', familyName: 'Nomail', email: '' })
  world.sim.addCourse({
    id: 'mgt540', label: 'MGT540', title: 'Course mgt540', members: ['u-amara:Instructor', 'u-daniel:Mentor', 'u-pat:Mentor', 'u-noemail:Mentor', 'u-lucia:Learner']
      .map((m) => { const [id, role] = m.split(':'); return { userId: id as string, roles: [role as 'Mentor'], status: 'Active' as const } })
  })
  amara = await world.session('u-amara')
  // The LMS tells Mentorlink about members as they launch (and, later, through roster sync).
  for (const user of ['u-daniel', 'u-pat', 'u-noemail', 'u-lucia']) await world.session(user)
})
afterAll(async () => { await world?.close() })

describe('mentors suggested from the LMS', () => {
  it('offers the course members with the Mentor role, never adding them by itself', async () => {
    expect(await suggestions(amara)).toEqual(['Daniel Reyes', 'Nora Nomail', 'Pat Parent'])
    expect(await world.app.db.models.mentors.countDocuments({})).toBe(0)
    const page = await getPage(world.base, amara, '/instructor/pool')
    expect(page.html).toContain('Suggested from your LMS')
    expect(page.html).toContain('Accept Daniel Reyes')
    expect(page.html).toContain('Dismiss Pat Parent')
    expect(page.html).toContain('<label for="suggestion-email-')
  })

  it('accepts one into the pool, linked to the LMS user, and opens its profile to complete', async () => {
    const daniel = await userId('u-daniel')
    const res = await postForm(world.base, amara, `/instructor/pool/suggestions/${daniel}/accept`, {})
    expect(res.status).toBe(303)
    expect(res.location).toMatch(/^\/instructor\/pool\/mentors\/[0-9a-f]{24}\/edit\?notice=accepted&session=/)
    const mentor = await world.app.db.models.mentors.findOne({}).lean()
    expect(mentor).toMatchObject({ name: 'Daniel Reyes', email: 'u-daniel@example.edu', source: 'lms', active: true, capacity: 3 })
    expect(String(mentor?.userId)).toBe(daniel)
    expect(await suggestions(amara)).toEqual(['Nora Nomail', 'Pat Parent'])
    const list = (await getPage(world.base, amara, '/instructor/pool')).html
    expect(list).toContain('Signs in through the LMS')
  })

  it('asks for an email when the LMS shared none, naming the field and keeping the suggestion', async () => {
    const nora = await userId('u-noemail')
    const refused = await postForm(world.base, amara, `/instructor/pool/suggestions/${nora}/accept`, { email: 'nope' })
    expect(refused.status).toBe(400)
    expect(refused.html).toMatch(/id="suggestion-error-[0-9a-f]+"[^>]*>.*Email: must be a valid email address/)
    expect(refused.html).toContain('value="nope"')
    const api = await callApi(world.base, amara, 'POST', `/api/v1/pool/suggestions/${nora}/accept`, { email: 'nora@mentors.example' })
    expect(api.status).toBe(201)
    expect(api.body).toMatchObject({ name: 'Nora Nomail', email: 'nora@mentors.example', source: 'lms', userId: nora, invitation: null })
  })

  it('dismisses one for good', async () => {
    const pat = await userId('u-pat')
    const res = await postForm(world.base, amara, `/instructor/pool/suggestions/${pat}/dismiss`, {})
    expect(res.location).toContain('notice=dismissed')
    expect(await suggestions(amara)).toEqual([])
    expect(await world.app.db.models.mentors.countDocuments({ name: 'Pat Parent' })).toBe(0)
    expect((await postForm(world.base, amara, `/instructor/pool/suggestions/${pat}/accept`, {})).status).toBe(404)
  })

  it('answers 404 for a user who is not a suggested mentor of this course (a student, an unknown id)', async () => {
    expect((await postForm(world.base, amara, `/instructor/pool/suggestions/${await userId('u-lucia')}/accept`, {})).status).toBe(404)
    expect((await callApi(world.base, amara, 'POST', '/api/v1/pool/suggestions/0123456789abcdef01234567/dismiss')).status).toBe(404)
  })

  it('refuses a student or an LMS mentor accepting or dismissing', async () => {
    const lucia = await world.session('u-lucia')
    const daniel = await world.session('u-daniel')
    for (const token of [lucia, daniel]) {
      expect((await callApi(world.base, token, 'GET', '/api/v1/pool/suggestions')).status).toBe(403)
      expect((await postForm(world.base, token, `/instructor/pool/suggestions/${await userId('u-noemail')}/dismiss`, {})).status).toBe(403)
    }
  })
})

describe('reusing a pool in another course of the same tenant', () => {
  it('lets an instructor who teaches both courses attach the pool to the empty course, which then shares its mentors', async () => {
    const amara541 = await world.session('u-amara', 'mgt541')
    const page = await getPage(world.base, amara541, '/instructor/pool')
    const poolId = /<option value="([0-9a-f]{24})">Course mgt540 \(2 mentors\)<\/option>/.exec(page.html)?.[1]
    expect(poolId).toBeDefined()
    const res = await postForm(world.base, amara541, '/instructor/pool/attach', { poolId: poolId ?? '' })
    expect(res.location).toContain('notice=attached')
    const names = (await callApi(world.base, amara541, 'GET', '/api/v1/pool/mentors')).body.mentors.map((m: { name: string }) => m.name)
    expect(names).toEqual(['Daniel Reyes', 'Nora Nomail'])
  })

  it('does not offer or attach a pool to an instructor who does not teach its course', async () => {
    const ines = await world.session('u-ines', 'mgt541')
    const pool540 = String((await world.app.db.models.courses.findOne({ contextId: 'mgt540' }).lean())?.poolId)
    // Ines's course now uses that pool through Amara, but Ines teaches no course that lists it as another pool.
    const otto = await world.session('u-otto', 'ext900')
    expect((await getPage(world.base, otto, '/instructor/pool')).html).not.toContain('Reuse a pool')
    expect((await postForm(world.base, otto, '/instructor/pool/attach', { poolId: pool540 })).status).toBe(404)
    expect((await callApi(world.base, otto, 'GET', '/api/v1/pool/mentors')).body.mentors).toEqual([])
    expect((await postForm(world.base, ines, '/instructor/pool/attach', { poolId: 'bad' })).status).toBe(400)
  })
})
