import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { connectTool, parseForm, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

/**
 * A login in the LMS's frame (Fetch Metadata `Sec-Fetch-Dest: iframe`) without Platform Storage first tests whether
 * the browser keeps Mentorlink's cookie there, before the platform spends its one-time hints; the browser side is
 * test/browser/framed-launch.test.ts.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-fl', deploymentId: 'deploy-fl' }
const storageTool = { clientId: 'client-fl-storage', deploymentId: 'deploy-fl-storage' }
const who = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'fl101', userId: 'u-fl-student' }
const FRAMED = { 'sec-fetch-dest': 'iframe', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  await connectTool(app, sim, storageTool)
  const registered = sim.state.tools.get(storageTool.clientId)
  if (registered) registered.platformStorage = true
  seedCourse(sim, 'fl101', [{ id: 'u-fl-student', name: 'Flora Lind', roles: ['Learner'] }])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

const post = async (url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
  await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers }, body: new URLSearchParams(fields).toString() })
const get = async (url: string, headers: Record<string, string> = {}): Promise<Response> =>
  await fetch(url, { redirect: 'manual', headers: { accept: 'text/html', ...headers } })
const cookiesOf = (res: Response): string => res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; ')
const setCookie = (res: Response, name: string): string | undefined => res.headers.getSetCookie().find((c) => c.startsWith(`${name}`))
const absolute = (location: string | null): string => new URL(location ?? '', app.config.publicUrl).toString()
const hrefOf = (html: string, id: string): string =>
  (new RegExp(`id="${id}" href="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')

/** The platform's login initiation, posted inside its frame; answers the login request and the cookie test's URL. */
async function framedLogin (): Promise<{ params: Record<string, string>, test: Response }> {
  const request = sim.launchRequest(who)
  const test = await post(request.loginUrl, request.params, FRAMED)
  return { params: request.params, test }
}

/** Platform auth and launch, as the browser goes on from the login's redirect to the platform. */
async function authAndLaunch (authUrl: string, cookie: string): Promise<Response> {
  const auth = await get(authUrl)
  expect(auth.status).toBe(200)
  const form = parseForm(await auth.text())
  return await post(form.action, form.fields, { cookie })
}

describe('a login inside the LMS frame, without Platform Storage', () => {
  it('first asks the browser to keep a partitioned test cookie and comes back to itself', async () => {
    const { params, test } = await framedLogin()
    expect(test.status).toBe(302)
    const next = new URL(absolute(test.headers.get('location')))
    expect(next.pathname).toBe('/lti/login')
    expect(Object.fromEntries(next.searchParams)).toEqual({ ...params, cookie_test: '1' })
    expect(setCookie(test, 'ml_cookie_test=1')).toMatch(/; Path=\/lti; HttpOnly; Secure; Partitioned; SameSite=None$/)
    expect(sim.state.pendingLaunches.has(params.lti_message_hint ?? '')).toBe(true)
  })

  it('goes on to the platform with a partitioned state cookie when the browser kept the test cookie, and the launch is bound by it', async () => {
    const { test } = await framedLogin()
    const login = await get(absolute(test.headers.get('location')), { ...FRAMED, cookie: cookiesOf(test) })
    expect(login.status).toBe(302)
    expect(login.headers.get('location')).toMatch(new RegExp(`^${sim.endpoints.auth}\\?`))
    expect(setCookie(login, 'ml_state_')).toMatch(/; Path=\/lti; HttpOnly; Secure; Partitioned; SameSite=None$/)
    expect(setCookie(login, 'ml_cookie_test=;')).toBeDefined()
    const launch = await authAndLaunch(login.headers.get('location') ?? '', cookiesOf(login))
    expect(launch.status).toBe(302)
    expect(launch.headers.get('location')).toMatch(/^\/student\?session=/)
  })

  it('offers a new window with the same login when the browser kept no cookie, leaving the platform untouched', async () => {
    const { params, test } = await framedLogin()
    const page = await get(absolute(test.headers.get('location')), FRAMED)
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.headers.getSetCookie().filter((c) => c.startsWith('ml_state_'))).toEqual([])
    const html = await page.text()
    expect(html).toContain('Open Mentorlink in a new window')
    expect(html).toContain('target="_blank"')
    const newWindow = new URL(absolute(hrefOf(html, 'open-new-window')))
    expect(newWindow.pathname).toBe('/lti/login')
    expect(Object.fromEntries(newWindow.searchParams)).toEqual(params)
    expect(sim.state.pendingLaunches.has(params.lti_message_hint ?? '')).toBe(true)

    // The new window is top-level: the full login and launch, bound by a first-party cookie.
    const login = await get(newWindow.toString(), { 'sec-fetch-dest': 'document', 'sec-fetch-site': 'cross-site' })
    expect(login.status).toBe(302)
    const launch = await authAndLaunch(login.headers.get('location') ?? '', cookiesOf(login))
    expect(launch.status).toBe(302)
    expect(launch.headers.get('location')).toMatch(/^\/student\?session=/)
  })

  it('refuses in the frame a login the new window would refuse', async () => {
    const { params } = await framedLogin()
    const query = new URLSearchParams({ ...params, client_id: 'client-unknown', cookie_test: '1' })
    const res = await get(`${app.config.publicUrl}/lti/login?${query.toString()}`, FRAMED)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('not registered with Mentorlink')
  })

  it('tests no cookie at the top level, nor when the platform offers Platform Storage', async () => {
    const top = sim.launchRequest(who)
    const topLogin = await post(top.loginUrl, top.params, { 'sec-fetch-dest': 'document', 'sec-fetch-site': 'cross-site' })
    expect(topLogin.status).toBe(302)
    expect(topLogin.headers.get('location')).toMatch(new RegExp(`^${sim.endpoints.auth}\\?`))
    expect(setCookie(topLogin, 'ml_state_')).toMatch(/; Partitioned; SameSite=None$/)

    const stored = sim.launchRequest({ ...who, clientId: storageTool.clientId, deploymentId: storageTool.deploymentId })
    const storedLogin = await post(stored.loginUrl, stored.params, FRAMED)
    expect(storedLogin.status).toBe(200)
    expect(await storedLogin.text()).toContain('data-storage-target="_parent"')
  })
})
