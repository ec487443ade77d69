import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { connectTool, parseForm, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-ps', deploymentId: 'deploy-ps' }
const who = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'ps101', userId: 'u-ps-student' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, { clientId: 'client-plain', deploymentId: 'deploy-plain' })
  await connectTool(app, sim, tool)
  const registered = sim.state.tools.get(tool.clientId)
  if (registered) registered.platformStorage = true
  seedCourse(sim, 'ps101', [{ id: 'u-ps-student', name: 'Petra Storage', roles: ['Learner'] }])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

const data = (html: string, name: string): string =>
  (new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')

const post = async (url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
  await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers }, body: new URLSearchParams(fields).toString() })

const cookiesOf = (res: Response): string => res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; ')

/**
 * The login and launch steps of a Platform Storage launch over HTTP. Without `keepCookies` the browser's cookies are
 * dropped, as when third-party cookies are blocked. Returns the login's state and nonce and the tool's answer.
 */
async function loginAndLaunch (keepCookies = false): Promise<{ state: string, nonce: string, launch: Response, page: string }> {
  const request = sim.launchRequest(who)
  expect(request.params.lti_storage_target).toBe('_parent')
  const login = await post(request.loginUrl, request.params)
  const html = await login.text()
  const auth = parseForm(await (await fetch(data(html, 'auth-url'))).text())
  const launch = await post(auth.action, auth.fields, keepCookies ? { cookie: cookiesOf(login) } : {})
  return { state: data(html, 'state'), nonce: data(html, 'nonce'), launch, page: await launch.text() }
}

/** The verification the launch page's script posts after reading state and nonce back from the platform. */
async function verify (launchPage: string, stored: { state: string, nonce: string }, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }, change: Record<string, string> = {}) {
  const form = parseForm(launchPage)
  const fields = { ...form.fields, stored_state: stored.state, stored_nonce: stored.nonce, ...change }
  return await post(new URL(form.action, app.config.publicUrl).toString(), fields, headers)
}

const bindingOf = async (state: string) => ((await app.db.models.singleUseClaims.findById(`oidc-state:${state}`).lean())?.detail as { binding?: string } | undefined)?.binding

describe('LTI Platform Storage, server side', () => {
  it('answers a login that offers Platform Storage with a page storing state and nonce, and still sets the fallback cookie', async () => {
    const request = sim.launchRequest(who)
    const res = await post(request.loginUrl, request.params)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('/static/js/lti-storage-login.js')
    expect(data(html, 'storage-target')).toBe('_parent')
    expect(data(html, 'platform-origin')).toBe(new URL(sim.endpoints.auth).origin)
    expect(data(html, 'state')).toMatch(/^[\w.-]{40,}$/)
    expect(new URL(data(html, 'auth-url')).searchParams.get('state')).toBe(data(html, 'state'))
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=None/i)
  })

  it('completes a launch without cookies when the browser gives back the stored state and nonce', async () => {
    const { state, nonce, launch, page } = await loginAndLaunch()
    expect(launch.status).toBe(200)
    expect(launch.headers.get('referrer-policy')).toBe('same-origin')
    expect(page).toContain('/static/js/lti-storage-launch.js')
    const res = await verify(page, { state, nonce })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^\/student\?session=/)
    expect(await bindingOf(state)).toBe('platform-storage')
  })

  it('refuses values the platform did not store for this browser before any database work, so the login can still complete', async () => {
    const { state, nonce, page } = await loginAndLaunch()
    const res = await verify(page, { state, nonce: 'some-other-nonce' })
    expect(res.status).toBe(401)
    expect(await res.text()).toMatch(/state was not issued to this browser/)
    expect(await app.db.models.singleUseClaims.countDocuments({ _id: `oidc-state:${state}` })).toBe(0)
    expect((await verify(page, { state, nonce })).status).toBe(302)
    const replay = await verify(page, { state, nonce })
    expect(replay.status).toBe(401)
    expect(await replay.text()).toMatch(/state is unknown, expired or already used/)
  })

  it('refuses a verification posted from another site, without using the login up', async () => {
    const { state, nonce, page } = await loginAndLaunch()
    const crossSite = await verify(page, { state, nonce }, { 'sec-fetch-site': 'cross-site' })
    expect(crossSite.status).toBe(403)
    expect(await crossSite.text()).toMatch(/only be completed from a Mentorlink page/)
    const noOrigin = await verify(page, { state, nonce }, {})
    expect(noOrigin.status).toBe(403)
    expect((await verify(page, { state, nonce }, { origin: new URL(app.config.publicUrl).origin })).status).toBe(302)
  })

  it('refuses a forged launch proof', async () => {
    const { state, nonce, page } = await loginAndLaunch()
    const res = await verify(page, { state, nonce }, undefined, { proof: 'forged.proof.value' })
    expect(res.status).toBe(401)
    expect(await res.text()).toMatch(/launch proof is invalid or expired/)
  })

  it('uses the state cookie when the browser sends it, and records that binding', async () => {
    const { state, launch } = await loginAndLaunch(true)
    expect(launch.status).toBe(302)
    expect(launch.headers.get('location')).toMatch(/^\/student\?session=/)
    expect(await bindingOf(state)).toBe('cookie')
  })
})
