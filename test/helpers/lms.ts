import type { FastifyInstance } from 'fastify'
import { startSimulator, type LaunchParams, type Simulator, type SimRole } from '@mentorlink/simulator'

export interface TestTool { clientId: string, deploymentId: string }

/** Starts the bundled LMS simulator and registers Mentorlink and the simulator with each other. */
export async function startLmsFor (app: FastifyInstance, tool: TestTool = { clientId: 'client-1', deploymentId: 'deploy-1' }): Promise<Simulator> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  await connectTool(app, sim, tool)
  return sim
}

export async function connectTool (app: FastifyInstance, sim: Simulator, tool: TestTool): Promise<void> {
  const base = app.config.publicUrl
  sim.addTool({
    clientId: tool.clientId,
    deploymentIds: [tool.deploymentId],
    loginUrl: `${base}/lti/login`,
    redirectUris: [`${base}/lti/launch`],
    targetLinkUri: `${base}/lti/launch`,
    jwksUrl: `${base}/lti/keys`
  })
  await app.platformRegistry.add({
    issuer: sim.issuer,
    clientId: tool.clientId,
    name: 'Simulated LMS',
    authEndpoint: sim.endpoints.auth,
    tokenEndpoint: sim.endpoints.token,
    jwksUrl: sim.endpoints.jwks,
    deploymentIds: [tool.deploymentId]
  })
}

export function seedCourse (sim: Simulator, courseId: string, people: Array<{ id: string, name: string, roles: SimRole[] }>): void {
  for (const p of people) {
    const [givenName = p.name, familyName = ''] = p.name.split(' ')
    sim.addUser({ id: p.id, name: p.name, givenName, familyName, email: `${p.id}@example.edu` })
  }
  sim.addCourse({ id: courseId, label: courseId.toUpperCase(), title: `Course ${courseId}`, members: p2m(people) })
}
const p2m = (people: Array<{ id: string, roles: SimRole[] }>) => people.map((p) => ({ userId: p.id, roles: p.roles, status: 'Active' as const }))

export interface Form { action: string, fields: Record<string, string> }

/** Reads the auto-submitting form a platform or tool page answers with. */
export function parseForm (html: string): Form {
  const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1]
  if (!action) throw new Error(`no form in page: ${html.slice(0, 300)}`)
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) {
    fields[m[1] as string] = decodeEntities(m[2] as string)
  }
  return { action: decodeEntities(action), fields }
}
const decodeEntities = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&')

const postForm = async (form: Form, headers: Record<string, string> = {}): Promise<Response> =>
  await fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
    body: new URLSearchParams(form.fields).toString()
  })

const cookiesOf = (res: Response): string =>
  res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').filter((c) => c !== '' && !c.endsWith('=')).join('; ')

/** The cookie binding a login's state to the browser, from the tool's answer to the login. */
export const stateCookieOf = (login: Response): string =>
  login.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').filter((c) => c.startsWith('ml_state_')).join('; ')

export interface LaunchResult {
  login: Response
  /** The tool's answer to the id_token POST. */
  launch: Response
  launchBody: string
  /** The page the launch redirected to, when it was accepted. */
  home?: { url: string, status: number, html: string }
  sessionToken?: string
}

export interface LaunchOptions {
  /** Change the authentication response before it is posted back to the tool (for negative tests). */
  alterResponse?: (form: Form) => Form
  /** Drop the browser's cookies between login and launch (as a browser blocking third-party cookies does). */
  dropCookies?: boolean
}

const dataAttribute = (html: string, name: string): string | undefined =>
  new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')

interface StartedLogin { authUrl: string, cookie: string, stored?: { state: string, nonce: string } }

/**
 * Where the tool's login answer sends the browser. A platform offering Platform Storage (Canvas always does) gets a
 * page whose script keeps state and nonce in the platform's window and then opens the auth URL; this plays it.
 */
async function followLogin (login: Response): Promise<StartedLogin> {
  const cookie = cookiesOf(login)
  const location = login.headers.get('location')
  if (login.status === 302 && location) return { authUrl: location, cookie }
  const html = login.status === 200 ? await login.text() : ''
  const authUrl = dataAttribute(html, 'auth-url')
  if (!authUrl) throw new Error(`login answered ${login.status}: ${html || await login.text()}`)
  return { authUrl, cookie, stored: { state: dataAttribute(html, 'state') ?? '', nonce: dataAttribute(html, 'nonce') ?? '' } }
}

/** The launch page's script: reads state and nonce back from the platform and posts them with the launch. */
async function verifyWithPlatformStorage (launch: Response, launchUrl: string, stored: { state: string, nonce: string }): Promise<{ response: Response, action: string }> {
  const form = parseForm(await launch.text())
  const action = new URL(form.action, launchUrl).toString()
  const fields = { ...form.fields, stored_state: stored.state, stored_nonce: stored.nonce }
  return { response: await postForm({ action, fields }, { 'sec-fetch-site': 'same-origin' }), action }
}

/**
 * Runs the whole LTI 1.3 OIDC launch over HTTP, as a browser would: platform → login → auth → launch → home.
 * When the platform offers Platform Storage, the browser is one blocking third-party cookies: the launch is bound
 * through the platform's storage, never the cookie.
 */
export async function launchAs (sim: Simulator, params: LaunchParams, options: LaunchOptions = {}): Promise<LaunchResult> {
  const request = sim.launchRequest(params)
  const login = await postForm({ action: request.loginUrl, fields: request.params })
  const started = await followLogin(login)
  const authPage = await fetch(started.authUrl, { redirect: 'manual' })
  if (authPage.status !== 200) throw new Error(`platform auth answered ${authPage.status}: ${await authPage.text()}`)
  let form = parseForm(await authPage.text())
  if (options.alterResponse) form = options.alterResponse(form)
  const withCookie = !options.dropCookies && started.stored === undefined
  let launch = await postForm(form, withCookie ? { cookie: started.cookie } : {})
  let launchUrl = form.action
  if (started.stored !== undefined && launch.status === 200) {
    ({ response: launch, action: launchUrl } = await verifyWithPlatformStorage(launch, form.action, started.stored))
  }
  const result: LaunchResult = { login, launch, launchBody: '' }
  const location = launch.headers.get('location')
  if (launch.status === 302 && location) {
    const url = new URL(location, launchUrl).toString()
    // Like a browser, with the cookies the launch set (a tool may keep its session in one; Mentorlink does not).
    const set = cookiesOf(launch)
    const page = await fetch(url, { headers: { accept: 'text/html', ...(set !== '' && !options.dropCookies ? { cookie: set } : {}) } })
    result.home = { url, status: page.status, html: await page.text() }
    result.sessionToken = new URL(url).searchParams.get('session') ?? undefined
  } else {
    result.launchBody = await launch.text()
  }
  return result
}
