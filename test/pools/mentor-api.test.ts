import { callApi } from '../helpers/http'
import { startPoolWorld, type PoolWorld } from './support/pool-world'

let world: PoolWorld
let amara: string

const ada = {
  name: 'Ada Lovelace',
  email: 'Ada@Analytical.example',
  organisation: 'Analytical Engines Ltd',
  jobTitle: 'Chief Scientist',
  expertise: ['mathematics', 'computing'],
  capacity: 4,
  bio: 'Writes programs for machines that do not exist yet.'
}

const api = async (token: string, method: string, path: string, body?: unknown) => await callApi(world.base, token, method, path, body)
const mentorCount = async () => await world.app.db.models.mentors.countDocuments({})

beforeAll(async () => {
  world = await startPoolWorld()
  amara = await world.session('u-amara')
})
afterAll(async () => { await world?.close() })

describe('the mentor JSON API', () => {
  let adaId: string

  it('gives a course exactly one pool of its own, even when its first requests arrive together', async () => {
    const ines = await world.session('u-ines', 'mgt541')
    // The launch's own background work (a first roster sync writes the course too) is done before the race begins.
    await world.app.settled()
    const answers = await Promise.all(Array.from({ length: 5 }, async () => await api(ines, 'GET', '/api/v1/pool/mentors')))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
    const course = await world.app.db.models.courses.findOne({ contextId: 'mgt541' }).lean()
    const pools = await world.app.db.models.pools.find({ ownerCourseId: course?._id }).lean()
    expect(pools).toHaveLength(1)
    expect(String(course?.poolId)).toBe(String(pools[0]?._id))
  })

  it('adds a mentor, normalising the email, and answers 201 with it', async () => {
    const res = await api(amara, 'POST', '/api/v1/pool/mentors', ada)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ ...ada, email: 'ada@analytical.example', active: true, source: 'external', userId: null, invitation: { state: 'none', at: null } })
    adaId = res.body.id
  })

  it('lists and reads the mentors of the course pool', async () => {
    const list = await api(amara, 'GET', '/api/v1/pool/mentors')
    expect(list.status).toBe(200)
    expect(list.body.mentors.map((m: { name: string }) => m.name)).toEqual(['Ada Lovelace'])
    const one = await api(amara, 'GET', `/api/v1/pool/mentors/${adaId}`)
    expect(one.body).toMatchObject({ id: adaId, capacity: 4 })
  })

  it('changes some fields with PATCH and keeps the others', async () => {
    const res = await api(amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { capacity: 6, expertise: ['strategy'] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ capacity: 6, expertise: ['strategy'], name: 'Ada Lovelace', bio: ada.bio })
  })

  it('deactivates and reactivates, and filters the list by activity', async () => {
    expect((await api(amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { active: false })).body.active).toBe(false)
    expect((await api(amara, 'GET', '/api/v1/pool/mentors?active=true')).body.mentors).toHaveLength(0)
    expect((await api(amara, 'GET', '/api/v1/pool/mentors?active=false')).body.mentors).toHaveLength(1)
    expect((await api(amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { active: true })).body.active).toBe(true)
  })

  it.each([
    ['a missing name', { ...ada, email: 'x1@example.org', name: undefined }, 'body.name'],
    ['a bad email', { ...ada, email: 'not-an-email' }, 'body.email'],
    ['capacity 0', { ...ada, email: 'x2@example.org', capacity: 0 }, 'body.capacity'],
    ['capacity 51', { ...ada, email: 'x3@example.org', capacity: 51 }, 'body.capacity'],
    ['capacity 2.5', { ...ada, email: 'x4@example.org', capacity: 2.5 }, 'body.capacity'],
    ['capacity as text', { ...ada, email: 'x5@example.org', capacity: 'four' }, 'body.capacity'],
    ['a bio over 1000 characters', { ...ada, email: 'x6@example.org', bio: 'b'.repeat(1001) }, 'body.bio'],
    ['an unknown field', { ...ada, email: 'x7@example.org', capcity: 3 }, 'body']
  ])('refuses %s with 400 naming the field and stores nothing', async (_what, body, field) => {
    const before = await mentorCount()
    const res = await api(amara, 'POST', '/api/v1/pool/mentors', body)
    expect(res.status).toBe(400)
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field)
    expect(await mentorCount()).toBe(before)
  })

  it('refuses an email already in the pool (any case) with 409 naming body.email', async () => {
    const res = await api(amara, 'POST', '/api/v1/pool/mentors', { ...ada, email: 'ADA@analytical.example' })
    expect(res.status).toBe(409)
    expect(res.body.fields).toEqual([{ field: 'body.email', message: 'is already in the pool' }])
    const other = await api(amara, 'POST', '/api/v1/pool/mentors', { ...ada, name: 'Grace', email: 'grace@navy.example' })
    const clash = await api(amara, 'PATCH', `/api/v1/pool/mentors/${other.body.id as string}`, { email: 'ada@analytical.example' })
    expect(clash.status).toBe(409)
    expect((await api(amara, 'GET', `/api/v1/pool/mentors/${other.body.id as string}`)).body.email).toBe('grace@navy.example')
  })

  it('refuses an empty PATCH and a bad PATCH value without changing anything', async () => {
    expect((await api(amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, {})).status).toBe(400)
    const res = await api(amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { capacity: 99 })
    expect(res.status).toBe(400)
    expect(res.body.fields[0].field).toBe('body.capacity')
    expect((await api(amara, 'GET', `/api/v1/pool/mentors/${adaId}`)).body.capacity).toBe(6)
  })

  it('answers 404 for an id that is not in the pool and 400 for a malformed one', async () => {
    expect((await api(amara, 'GET', '/api/v1/pool/mentors/0123456789abcdef01234567')).status).toBe(404)
    const bad = await api(amara, 'GET', '/api/v1/pool/mentors/nope')
    expect(bad.status).toBe(400)
    expect(bad.body.fields[0].field).toBe('params.id')
  })

  it('documents every pool route in the OpenAPI document', async () => {
    const doc = await (await fetch(`${world.base}/docs/json`)).json() as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths['/api/v1/pool/mentors'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']))
    expect(Object.keys(doc.paths['/api/v1/pool/mentors/{id}'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch']))
    expect(doc.paths['/api/v1/pool/mentors/import']).toBeDefined()
    expect(doc.paths['/api/v1/pool/mentors/{id}/invitation']).toBeDefined()
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/instructor/pool'))).toBe(false)
  })
})

describe('who may use the pool API', () => {
  let adaId: string
  beforeAll(async () => {
    adaId = (await api(amara, 'GET', '/api/v1/pool/mentors')).body.mentors[0].id
  })

  it.each([['student', 'u-lucia'], ['LMS mentor', 'u-daniel']])('refuses a %s reading or changing the pool with 403', async (_role, userId) => {
    const token = await world.session(userId)
    const before = await mentorCount()
    expect((await api(token, 'GET', '/api/v1/pool/mentors')).status).toBe(403)
    expect((await api(token, 'POST', '/api/v1/pool/mentors', { ...ada, email: 'sneaky@example.org' })).status).toBe(403)
    expect((await api(token, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { capacity: 1 })).status).toBe(403)
    expect(await mentorCount()).toBe(before)
  })

  it('refuses a request without a session with 401', async () => {
    expect((await fetch(`${world.base}/api/v1/pool/mentors`)).status).toBe(401)
  })

  it.each([['another course of the same tenant', 'u-ines', 'mgt541'], ['another tenant', 'u-otto', 'ext900']])(
    'keeps the pool hidden from the instructor of %s: own empty pool, 404 on these ids', async (_what, userId, courseId) => {
      const token = await world.session(userId, courseId)
      expect((await api(token, 'GET', '/api/v1/pool/mentors')).body.mentors).toEqual([])
      expect((await api(token, 'GET', `/api/v1/pool/mentors/${adaId}`)).status).toBe(404)
      expect((await api(token, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { capacity: 1 })).status).toBe(404)
      expect((await api(amara, 'GET', `/api/v1/pool/mentors/${adaId}`)).body.capacity).toBe(6)
    })
})
