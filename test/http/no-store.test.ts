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
