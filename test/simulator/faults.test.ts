import { SCOPES } from '@mentorlink/simulator'
import { accessToken, clientAssertion, requestToken } from './support/fake-tool'
import { startWorld, type World } from './support/world'

describe('simulator fault injection', () => {
  let world: World
  beforeAll(async () => { world = await startWorld() })
  afterAll(async () => { await world.close() })
  afterEach(() => { world.sim.faults.clear() })

  const memberships = async (token: string) => await fetch(`${world.sim.url}/api/courses/c1/memberships`, {
    headers: { authorization: `Bearer ${token}` }
  })

  it('answers 429 with Retry-After beyond the configured rate', async () => {
    const token = await accessToken(world.tool, world.sim, [SCOPES.memberships])
    world.sim.faults.rateLimit({ route: 'memberships', perSecond: 2 })
    const statuses = []
    for (let i = 0; i < 4; i++) {
      const res = await memberships(token)
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    }
    expect(statuses).toEqual([200, 200, 429, 429])
  })

  it('injects a status a number of times, with Retry-After and a custom body', async () => {
    const token = await accessToken(world.tool, world.sim, [SCOPES.memberships])
    world.sim.faults.add({ route: 'memberships', status: 429, retryAfterSeconds: 7, times: 1 })
    world.sim.faults.add({ route: 'token', status: 503, body: { message: 'down' }, times: 2 })
    const limited = await memberships(token)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect((await memberships(token)).status).toBe(200)

    const before = world.sim.stats.tokenRequests
    const fields = async () => ({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(world.tool, world.sim),
      scope: SCOPES.score
    })
    const down = await requestToken(world.sim, await fields())
    expect(down.status).toBe(503)
    expect(await down.json()).toEqual({ message: 'down' })
    expect((await requestToken(world.sim, await fields())).status).toBe(503)
    expect((await requestToken(world.sim, await fields())).status).toBe(200)
    expect(world.sim.stats.tokenRequests).toBe(before + 3)
  })

  it('delays responses', async () => {
    world.sim.faults.add({ route: 'jwks', latencyMs: 300, times: 1 })
    const started = Date.now()
    const res = await fetch(world.sim.endpoints.jwks)
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    const fast = Date.now()
    await fetch(world.sim.endpoints.jwks)
    expect(Date.now() - fast).toBeLessThan(290)
  })

  it('stops injecting after clear()', async () => {
    world.sim.faults.add({ route: 'jwks', status: 500 })
    expect((await fetch(world.sim.endpoints.jwks)).status).toBe(500)
    expect((await fetch(world.sim.endpoints.jwks)).status).toBe(500)
    world.sim.faults.clear()
    expect((await fetch(world.sim.endpoints.jwks)).status).toBe(200)
  })
})
