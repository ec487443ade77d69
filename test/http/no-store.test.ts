import { apiAs, startWorld, type World } from '../activities/support'

/** What a signed-in person is shown is theirs alone: neither their browser nor a proxy may keep a copy. */
let world: World

beforeAll(async () => { world = await startWorld() })
afterAll(async () => { await world?.close() })

describe('answers to a signed-in person', () => {
  it('carry Cache-Control: no-store, for pages with ?session= and for the API', async () => {
    const token = world.people.s1?.token ?? ''
    const page = await fetch(`${world.app.config.publicUrl}/student?session=${encodeURIComponent(token)}`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    const api = await fetch(`${world.app.config.publicUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(api.status).toBe(200)
    expect(api.headers.get('cache-control')).toBe('no-store')
    expect((await apiAs(world)('s1', 'GET', '/api/v1/activities')).status).toBe(200)
  })
})

describe('a request without a session', () => {
  it('is answered 401 before its body is judged, without the schema\'s details', async () => {
    const res = await fetch(`${world.app.config.publicUrl}/api/v1/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'nonsense' }) })
    expect(res.status).toBe(401)
    const body = await res.json() as { message: string, fields?: unknown }
    expect(body.fields).toBeUndefined()
    expect(body.message).not.toMatch(/body\./)
    const form = await fetch(`${world.app.config.publicUrl}/field-trips`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' })
    expect(form.status).toBe(401)
  })

  it('with a session, a bad body still gets the field-level 400', async () => {
    const res = await apiAs(world)('s1', 'POST', '/api/v1/activities', { kind: 'nonsense' })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/body\./)
  })
})
