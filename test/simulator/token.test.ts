import { SCOPES } from '@mentorlink/simulator'
import { accessToken, clientAssertion, requestToken, startFakeTool } from './support/fake-tool'
import { startWorld, type World } from './support/world'

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

describe('simulator token endpoint', () => {
  let world: World
  beforeAll(async () => { world = await startWorld() })
  afterAll(async () => { await world.close() })

  const fields = (assertion: string, scope: string = SCOPES.score) => ({
    grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, scope
  })

  it('issues a bearer token for a valid client assertion', async () => {
    const before = world.sim.stats.tokenRequests
    const scope = `${SCOPES.score} ${SCOPES.memberships}`
    const res = await requestToken(world.sim, fields(await clientAssertion(world.tool, world.sim), scope))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope })
    expect(world.sim.stats.tokenRequests).toBe(before + 1)
  })

  it('refuses a replayed jti', async () => {
    const assertion = await clientAssertion(world.tool, world.sim)
    expect((await requestToken(world.sim, fields(assertion))).status).toBe(200)
    const replay = await requestToken(world.sim, fields(assertion))
    expect(replay.status).toBe(400)
    expect(await replay.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/jti/) })
  })

  it.each([
    ['wrong aud', { aud: 'https://elsewhere.example.com/token' }, /aud/],
    ['sub differing from iss', { sub: 'someone-else' }, /sub/],
    ['unknown client', { iss: 'ghost-client', sub: 'ghost-client' }, /unknown client/]
  ])('refuses an assertion with %s', async (_name, overrides, message) => {
    const res = await requestToken(world.sim, fields(await clientAssertion(world.tool, world.sim, overrides)))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(message) })
  })

  it('refuses an expired assertion and one signed by a key the tool does not publish', async () => {
    const claims = { iss: 'tool-client', sub: 'tool-client', aud: world.sim.endpoints.token, jti: 'old' }
    const expired = await world.tool.sign(claims, { expiresIn: Math.floor(Date.now() / 1000) - 10 })
    expect(await (await requestToken(world.sim, fields(expired))).json()).toMatchObject({ error: 'invalid_client' })
    const impostor = await startFakeTool('tool-client')
    try {
      const forged = await clientAssertion(impostor, world.sim)
      expect(await (await requestToken(world.sim, fields(forged))).json()).toMatchObject({ error: 'invalid_client' })
    } finally {
      await impostor.close()
    }
  })

  it.each([
    ['grant_type', { grant_type: 'authorization_code' }, 'unsupported_grant_type'],
    ['client_assertion_type', { client_assertion_type: 'basic' }, 'invalid_request'],
    ['scope', { scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/everything' }, 'invalid_scope'],
    ['scope', { scope: '' }, 'invalid_request'],
    ['client_assertion', { client_assertion: 'not-a-jwt' }, 'invalid_client']
  ])('answers 400 naming %s', async (parameter, overrides, error) => {
    const res = await requestToken(world.sim, { ...fields(await clientAssertion(world.tool, world.sim)), ...overrides })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error, parameter })
  })

  it('enforces token scope and expiry on the services', async () => {
    const url = `${world.sim.url}/api/courses/c1/memberships`
    const scoreOnly = await accessToken(world.tool, world.sim, [SCOPES.score])
    const denied = await fetch(url, { headers: { authorization: `Bearer ${scoreOnly}` } })
    expect(denied.status).toBe(401)
    expect(denied.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/)

    const token = await accessToken(world.tool, world.sim, [SCOPES.memberships])
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    world.sim.expireAllTokens()
    const expired = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    expect(expired.status).toBe(401)
    expect(expired.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    expect((await fetch(url)).status).toBe(401)
  })
})
