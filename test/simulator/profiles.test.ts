import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import path from 'node:path'
import { decodeJwt } from 'jose'
import { CANVAS_ISSUER, MEDIA, SCOPES, type LineItem, type SimulatorOptions } from '@mentorlink/simulator'
import { accessToken } from './support/fake-tool'
import { launchIdToken } from './support/oidc'
import { person, startWorld, type World } from './support/world'

interface Member { user_id: string, status: string, roles: string[], lti11_legacy_user_id?: string }
const MENTOR_ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'

/** A profile's simulator with the fake tool, a suspended learner `sam` and an observer `otto` of alice. */
async function profileWorld (opts: SimulatorOptions): Promise<World & { token: string, claims: (userId: string) => Promise<Record<string, unknown>> }> {
  const world = await startWorld(opts)
  world.sim.addUser(person('sam'))
  world.sim.addUser(person('otto'))
  const course = world.sim.state.courses.get('c1')
  course?.members.push({ userId: 'sam', roles: ['Learner'], status: 'Inactive' }, { userId: 'otto', roles: ['Observer'], status: 'Active', observes: ['alice'] })
  const token = await accessToken(world.tool, world.sim, [SCOPES.memberships, SCOPES.lineItem, SCOPES.score, SCOPES.resultReadOnly])
  const claims = async (userId: string) => decodeJwt(await launchIdToken(world.sim, world.tool, { userId })) as Record<string, unknown>
  return { ...world, token, claims }
}

const call = async (token: string, url: string, method = 'GET', body?: unknown, type: string = MEDIA.lineItem): Promise<Response> =>
  await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': type }) }, body: body === undefined ? undefined : JSON.stringify(body) })

const score = (userId: string, timestamp: string, extra: object = {}) => ({
  userId, timestamp, activityProgress: 'Completed', gradingProgress: 'FullyGraded', scoreGiven: 8, scoreMaximum: 10, ...extra
})
const scoresUrl = (item: LineItem): string => { const u = new URL(item.id); u.pathname += '/scores'; return u.toString() }
const postScore = async (token: string, item: LineItem, body: unknown, url = scoresUrl(item)): Promise<Response> => await call(token, url, 'POST', body, MEDIA.score)

/** A request without any User-Agent header (fetch always sends one). */
async function withoutUserAgent (url: string, token: string, method = 'GET'): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('canvas profile', () => {
  let world: Awaited<ReturnType<typeof profileWorld>>
  beforeAll(async () => { world = await profileWorld({ profile: 'canvas', throttle: false }) })
  afterAll(async () => { await world.close() })

  it('signs launches as https://canvas.instructure.com, at Canvas-shaped endpoints', async () => {
    expect(world.sim.issuer).toBe(CANVAS_ISSUER)
    expect(world.sim.endpoints).toEqual({
      auth: `${world.sim.url}/api/lti/authorize_redirect`, token: `${world.sim.url}/login/oauth2/token`, jwks: `${world.sim.url}/api/lti/security/jwks`
    })
    const claims = await world.claims('alice')
    expect(claims.iss).toBe(CANVAS_ISSUER)
    expect(claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).toMatchObject({ lineitems: `${world.sim.url}/api/lti/courses/c1/line_items` })
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/tool_platform']).toMatchObject({ product_family_code: 'canvas' })
  })

  it('offers Platform Storage on every login, with its region and environment', () => {
    const { params } = world.sim.launchRequest({ clientId: 'tool-client', deploymentId: 'deploy-1', courseId: 'c1', userId: 'alice' })
    expect(params).toMatchObject({ iss: CANVAS_ISSUER, lti_storage_target: '_parent', lti_deployment_id: 'deploy-1', canvas_region: 'us-east-1', canvas_environment: 'prod' })
  })

  it('sends observers with the Mentor role and role_scope_mentor naming their observees by LTI 1.1 id', async () => {
    const claims = await world.claims('otto')
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/roles']).toEqual([MENTOR_ROLE])
    const members = (await (await call(world.token, `${world.sim.url}/api/lti/courses/c1/names_and_roles`)).json() as { members: Member[] }).members
    const alice = members.find(m => m.user_id === 'alice')
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor']).toEqual([alice?.lti11_legacy_user_id])
    expect((await world.claims('alice'))['https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor']).toBeUndefined()
  })

  it('launches Student View\'s test student as a Learner with the TestUser role, and refuses their scores', async () => {
    world.sim.addUser(person('tess'))
    world.sim.state.courses.get('c1')?.members.push({ userId: 'tess', roles: ['TestStudent'], status: 'Active' })
    expect((await world.claims('tess'))['https://purl.imsglobal.org/spec/lti/claim/roles']).toEqual([
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser'
    ])
    const item = await (await call(world.token, `${world.sim.url}/api/lti/courses/c1/line_items`, 'POST', { label: 'Tess', scoreMaximum: 10 })).json() as LineItem
    expect((await postScore(world.token, item, score('tess', '2026-01-01T00:00:00Z'))).status).toBe(422)
  })

  it('lists only active members, at most 50 a page, whatever limit asks', async () => {
    for (let i = 0; i < 60; i++) {
      world.sim.addUser(person(`x${i}`))
      world.sim.state.courses.get('c1')?.members.push({ userId: `x${i}`, roles: ['Learner'], status: 'Active' })
    }
    const res = await call(world.token, `${world.sim.url}/api/lti/courses/c1/names_and_roles?limit=500`)
    const page = (await res.json() as { members: Member[] }).members
    expect(page).toHaveLength(50)
    expect(res.headers.get('link')).toContain('rel="next"')
    const next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? ''
    const all = [...page, ...(await (await call(world.token, next)).json() as { members: Member[] }).members]
    expect(all.map(m => m.user_id)).not.toContain('sam')
    expect(new Set(all.map(m => m.status))).toEqual(new Set(['Active']))
  })

  it('answers 422 for a non-student and 400 for a timestamp that is not newer', async () => {
    const item = await (await call(world.token, `${world.sim.url}/api/lti/courses/c1/line_items`, 'POST', { label: 'Mentoring', scoreMaximum: 10 })).json() as LineItem
    expect(item.id).toMatch(/\/api\/lti\/courses\/c1\/line_items\/\d+$/)
    expect((await postScore(world.token, item, score('teacher', '2026-01-01T00:00:00Z'))).status).toBe(422)
    expect((await postScore(world.token, item, score('alice', '2026-01-01T00:00:00Z'))).status).toBe(200)
    const stale = await postScore(world.token, item, score('alice', '2026-01-01T00:00:00Z'))
    expect(stale.status).toBe(400)
    expect(await stale.json()).toMatchObject({ errors: [{ field: 'timestamp' }] })
  })

  it('refuses service and token calls without a User-Agent', async () => {
    const refused = await withoutUserAgent(`${world.sim.url}/api/lti/courses/c1/names_and_roles`, world.token)
    expect(refused.status).toBe(403)
    expect(refused.body).toContain('User-Agent')
    expect((await withoutUserAgent(world.sim.endpoints.token, world.token, 'POST')).status).toBe(403)
  })
})

describe('canvas throttling', () => {
  let world: Awaited<ReturnType<typeof profileWorld>>
  afterEach(async () => { await world.close() })

  it.each([429, 403] as const)('answers %i once a client\'s bucket overflows, with Canvas\'s rate-limit headers', async (status) => {
    world = await profileWorld({ profile: 'canvas', throttle: { highWaterMark: 100, leakPerSecond: 1, upFrontCost: 30, requestCost: 20, status } })
    const url = `${world.sim.url}/api/lti/courses/c1/names_and_roles`
    const first = await call(world.token, url)
    expect(first.status).toBe(200)
    expect(Number(first.headers.get('x-request-cost'))).toBe(20)
    expect(Number(first.headers.get('x-rate-limit-remaining'))).toBeCloseTo(80, 0)
    const answers: Response[] = []
    for (let i = 0; i < 4; i++) answers.push(await call(world.token, url))
    expect(answers.map(a => a.status)).toEqual([200, 200, 200, status])
    const throttled = answers[3]
    expect(await throttled?.text()).toContain('Rate Limit Exceeded')
    expect(throttled?.headers.get('retry-after')).toBeNull()
    expect(Number(throttled?.headers.get('x-rate-limit-remaining'))).toBeLessThan(30)
    expect(world.sim.stats.throttled).toBe(1)
  })

  it('keeps one bucket per client id', async () => {
    world = await profileWorld({ profile: 'canvas', throttle: { highWaterMark: 50, leakPerSecond: 0.001, upFrontCost: 10, requestCost: 50, status: 429 } })
    const url = `${world.sim.url}/api/lti/courses/c1/names_and_roles`
    expect((await call(world.token, url)).status).toBe(200)
    expect((await call(world.token, url)).status).toBe(429)
    const { startFakeTool } = await import('./support/fake-tool')
    const other = await startFakeTool('other-client')
    world.sim.addTool(other.registration)
    const otherToken = await accessToken(other, world.sim, [SCOPES.memberships])
    expect((await call(otherToken, url)).status).toBe(200)
    await other.close()
  })
})

describe('moodle profile', () => {
  let world: Awaited<ReturnType<typeof profileWorld>>
  let item: LineItem
  beforeAll(async () => {
    world = await profileWorld({ profile: 'moodle' })
    const claims = await world.claims('alice')
    const lineitems = (claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as { lineitems: string }).lineitems
    expect(lineitems).toBe(`${world.sim.url}/mod/lti/services.php/c1/lineitems?type_id=deploy-1`)
    item = await (await call(world.token, lineitems, 'POST', { label: 'Mentoring', scoreMaximum: 10 })).json() as LineItem
  })
  afterAll(async () => { await world.close() })

  it('uses Moodle endpoints and issuer, and line item URLs carrying ?type_id=', async () => {
    expect(world.sim.issuer).toBe(world.sim.url)
    expect(world.sim.endpoints.token).toBe(`${world.sim.url}/mod/lti/token.php`)
    expect(item.id).toMatch(/\/mod\/lti\/services\.php\/c1\/lineitems\/\d+\/lineitem\?type_id=deploy-1$/)
    expect(scoresUrl(item)).toMatch(/\/lineitem\/scores\?type_id=deploy-1$/)
  })

  it('refuses a score posted without the line item URL\'s query', async () => {
    const dropped = await postScore(world.token, item, score('alice', '2026-01-01T00:00:00Z'), scoresUrl(item).replace(/\?.*$/, ''))
    expect(dropped.status).toBe(400)
    expect(await dropped.json()).toMatchObject({ errors: [{ field: 'type_id' }] })
    expect((await postScore(world.token, item, score('alice', '2026-01-01T00:00:00Z'), scoresUrl(item).replace('type_id=deploy-1', 'type_id=9'))).status).toBe(403)
  })

  it('answers 409 for a timestamp that is not newer and 400 for a non-student', async () => {
    expect((await postScore(world.token, item, score('alice', '2026-02-01T00:00:00Z'))).status).toBe(200)
    expect((await postScore(world.token, item, score('alice', '2026-02-01T00:00:00Z'))).status).toBe(409)
    const teacher = await postScore(world.token, item, score('teacher', '2026-02-01T00:00:00Z'))
    expect(teacher.status).toBe(400)
    expect(await teacher.json()).toMatchObject({ errors: [{ message: 'Incorrect score received' }] })
  })

  it('stores a score not marked FullyGraded without its value', async () => {
    expect((await postScore(world.token, item, score('bob', '2026-03-01T00:00:00Z', { gradingProgress: 'Pending', activityProgress: 'InProgress' }))).status).toBe(200)
    const bob = world.sim.gradebook('c1', item.id).find(s => s.userId === 'bob')
    expect(bob).toMatchObject({ gradingProgress: 'Pending', scoreMaximum: 10 })
    expect(bob?.scoreGiven).toBeUndefined()
  })

  it('lists suspended users as Inactive, at a membership URL naming the tool type', async () => {
    const claims = await world.claims('alice')
    const url = (claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] as { context_memberships_url: string }).context_memberships_url
    expect(url).toBe(`${world.sim.url}/mod/lti/services.php/CourseSection/c1/bindings/deploy-1/memberships`)
    const members = (await (await call(world.token, url)).json() as { members: Member[] }).members
    expect(members.find(m => m.user_id === 'sam')?.status).toBe('Inactive')
    expect(members[0]?.lti11_legacy_user_id).toBeUndefined()
  })
})

describe('canvas developer keys', () => {
  it('registers a tool from lti-config.json as a Canvas admin does, and names a missing field', async () => {
    const world = await startWorld({ profile: 'canvas' })
    const json = JSON.parse(readFileSync(path.resolve(__dirname, '../../lti-config.json'), 'utf8')) as Record<string, unknown>
    const ids = world.sim.addCanvasDeveloperKey(json)
    expect(ids.clientId).toMatch(/^\d{14}$/)
    expect(ids.deploymentId).toMatch(/^\d+:[0-9a-f]{40}$/)
    expect(world.sim.state.tools.get(ids.clientId)).toMatchObject({
      loginUrl: json.oidc_initiation_url, targetLinkUri: json.target_link_uri, jwksUrl: json.public_jwk_url, redirectUris: [json.target_link_uri], deploymentIds: [ids.deploymentId]
    })
    expect(() => world.sim.addCanvasDeveloperKey({ ...json, oidc_initiation_url: undefined })).toThrow(/oidc_initiation_url/)
    await world.close()
  })
})
