import type { FastifyInstance } from 'fastify'
import type { Simulator, Tamper } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor, stateCookieOf, type Form } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const victim = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'c-refuse', userId: 'u-victim' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'c-refuse', [{ id: 'u-victim', name: 'Vera Victim', roles: ['Learner'] }])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

/** Nothing of a refused launch is kept: no user, course, membership or session. */
async function expectNothingStored (): Promise<void> {
  const { users, courses, memberships, sessions } = app.db.models
  expect(await users.countDocuments({ sub: 'u-victim' })).toBe(0)
  expect(await courses.countDocuments({ contextId: 'c-refuse' })).toBe(0)
  expect(await memberships.countDocuments({})).toBe(0)
  expect(await sessions.countDocuments({})).toBe(0)
}

const MESSAGE_TYPE = 'https://purl.imsglobal.org/spec/lti/claim/message_type'
const VERSION = 'https://purl.imsglobal.org/spec/lti/claim/version'

describe('a tampered id_token is refused with its 4xx and nothing is stored', () => {
  const cases: Array<[string, Tamper, RegExp, number]> = [
    ['bad signature', { kind: 'badSignature' }, /signature|key/i, 401],
    ['expired token', { kind: 'expired' }, /expired/i, 401],
    ['wrong audience', { kind: 'wrongAudience' }, /aud/i, 401],
    ['wrong issuer', { kind: 'wrongIssuer' }, /iss/i, 401],
    ['nonce not the one issued', { kind: 'wrongNonce' }, /nonce/i, 401],
    ['unknown deployment', { kind: 'unknownDeployment' }, /deployment/i, 403],
    ['unknown signing key', { kind: 'unknownKid' }, /key/i, 401],
    ['missing message type', { kind: 'removeClaim', claim: MESSAGE_TYPE }, /message_type/, 400],
    ['missing subject', { kind: 'removeClaim', claim: 'sub' }, /sub/, 401],
    ['missing roles', { kind: 'removeClaim', claim: 'https://purl.imsglobal.org/spec/lti/claim/roles' }, /roles/, 400],
    ['missing resource link', { kind: 'removeClaim', claim: 'https://purl.imsglobal.org/spec/lti/claim/resource_link' }, /resource_link/, 400],
    ['missing context', { kind: 'removeClaim', claim: 'https://purl.imsglobal.org/spec/lti/claim/context' }, /context/, 400],
    ['wrong message type', { kind: 'setClaim', claim: MESSAGE_TYPE, value: 'LtiSubmissionReviewRequest' }, /message_type/, 400],
    ['wrong version', { kind: 'setClaim', claim: VERSION, value: '1.1.0' }, /version/, 400],
    ['foreign target_link_uri', { kind: 'setClaim', claim: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri', value: 'https://evil.example.com/lti/launch' }, /target_link_uri/, 400]
  ]

  it.each(cases)('%s', async (_name, tamper, reason, status) => {
    sim.tamperNextLaunch(tamper)
    const result = await launchAs(sim, victim)
    expect(result.launch.status).toBe(status)
    expect(result.launchBody).toMatch(reason)
    await expectNothingStored()
  })
})

describe('state and nonce', () => {
  it('refuses a replayed authentication response (nonce and state are single use)', async () => {
    let captured: Form | undefined
    const first = await launchAs(sim, victim, { alterResponse: (form) => { captured = form; return form } })
    expect(first.launch.status).toBe(302)
    const replay = async (headers: Record<string, string>) => await fetch(captured?.action ?? '', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(captured?.fields).toString()
    })
    // The same browser sending the form again (the back button) still holds the state cookie.
    const again = await replay({ cookie: stateCookieOf(first.login) })
    expect(again.status).toBe(401)
    expect(await again.text()).toMatch(/state is unknown, expired or already used/)
    const elsewhere = await replay({})
    expect(elsewhere.status).toBe(401)
    expect(await elsewhere.text()).toMatch(/state was not issued to this browser/)
    await app.db.models.sessions.deleteMany({})
    await app.db.models.memberships.deleteMany({})
    await app.db.models.users.deleteMany({})
    await app.db.models.courses.deleteMany({})
  })

  it('lets only one of two simultaneous posts of the same response through', async () => {
    let captured: Form | undefined
    const first = await launchAs(sim, victim, { alterResponse: (form) => { captured = form; return { ...form, fields: { ...form.fields, state: 'held-back' } } } })
    expect(first.launch.status).toBe(401)
    const cookie = first.login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const post = async (): Promise<number> => (await fetch(captured?.action ?? '', {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(captured?.fields).toString()
    })).status
    const statuses = await Promise.all([post(), post(), post()])
    expect(statuses.filter((s) => s === 302)).toHaveLength(1)
    await app.db.models.sessions.deleteMany({})
    await app.db.models.memberships.deleteMany({})
    await app.db.models.users.deleteMany({})
    await app.db.models.courses.deleteMany({})
  })

  it('refuses a state we never issued', async () => {
    const result = await launchAs(sim, victim, { alterResponse: (form) => ({ ...form, fields: { ...form.fields, state: 'forged-state' } }) })
    expect(result.launch.status).toBe(401)
    expect(result.launchBody).toMatch(/state/)
    await expectNothingStored()
  })

  it('refuses a state not bound to this browser', async () => {
    const result = await launchAs(sim, victim, { dropCookies: true })
    expect(result.launch.status).toBe(401)
    expect(result.launchBody).toMatch(/browser/)
    await expectNothingStored()
  })

  it('names the missing field of a malformed launch', async () => {
    const res = await fetch(`${app.config.publicUrl}/lti/launch`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=abc'
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'VALIDATION_FAILED', fields: [{ field: 'body.id_token' }] })
  })
})

describe('login initiation', () => {
  const login = async (params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): Promise<Response> => {
    const qs = new URLSearchParams(params).toString()
    return method === 'GET'
      ? await fetch(`${app.config.publicUrl}/lti/login?${qs}`, { redirect: 'manual' })
      : await fetch(`${app.config.publicUrl}/lti/login`, { method, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: qs })
  }
  const good = () => ({ iss: sim.issuer, client_id: tool.clientId, login_hint: 'u-victim', target_link_uri: `${app.config.publicUrl}/lti/launch`, lti_deployment_id: tool.deploymentId })

  it.each(['GET', 'POST'] as const)('answers %s with a redirect to the platform carrying state and nonce', async (method) => {
    const res = await login(good(), method)
    expect(res.status).toBe(302)
    const auth = new URL(res.headers.get('location') ?? '')
    expect(`${auth.origin}${auth.pathname}`).toBe(sim.endpoints.auth)
    for (const p of ['state', 'nonce', 'login_hint', 'redirect_uri']) expect(auth.searchParams.get(p)).toBeTruthy()
    expect(auth.searchParams.get('response_mode')).toBe('form_post')
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=None/i)
  })

  it('refuses an unknown issuer', async () => {
    const res = await login({ ...good(), iss: 'https://unknown-lms.example.edu' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/issuer/)
  })

  it('refuses an unknown client id', async () => {
    const res = await login({ ...good(), client_id: 'someone-else' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/client_id/)
  })

  it('refuses an unknown deployment', async () => {
    const res = await login({ ...good(), lti_deployment_id: 'not-ours' })
    expect(res.status).toBe(403)
  })

  it('refuses a target_link_uri that is not ours (no open redirect)', async () => {
    const res = await login({ ...good(), target_link_uri: 'https://evil.example.com/phish' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/target_link_uri/)
  })

  it('names a missing parameter', async () => {
    const { login_hint: _dropped, ...rest } = good()
    const res = await login(rest)
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/login_hint/)
  })
})
