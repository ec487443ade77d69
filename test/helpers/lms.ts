import type { FastifyInstance } from 'fastify'
import { startSimulator, type LaunchParams, type Simulator, type SimRole } from '../../src/simulator'

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

/** Runs the whole LTI 1.3 OIDC launch over HTTP, as a browser would: platform → login → auth → launch → home. */
export async function launchAs (sim: Simulator, params: LaunchParams, options: LaunchOptions = {}): Promise<LaunchResult> {
  const request = sim.launchRequest(params)
  const login = await postForm({ action: request.loginUrl, fields: request.params })
  const authUrl = login.headers.get('location')
  if (login.status !== 302 || !authUrl) throw new Error(`login answered ${login.status}: ${await login.text()}`)
  const authPage = await fetch(authUrl, { redirect: 'manual' })
  if (authPage.status !== 200) throw new Error(`platform auth answered ${authPage.status}: ${await authPage.text()}`)
  let form = parseForm(await authPage.text())
  if (options.alterResponse) form = options.alterResponse(form)
  const launch = await postForm(form, options.dropCookies ? {} : { cookie: cookiesOf(login) })
  const result: LaunchResult = { login, launch, launchBody: '' }
  const location = launch.headers.get('location')
  if (launch.status === 302 && location) {
    const url = new URL(location, form.action).toString()
    const page = await fetch(url, { headers: { accept: 'text/html' } })
    result.home = { url, status: page.status, html: await page.text() }
    result.sessionToken = new URL(url).searchParams.get('session') ?? undefined
  } else {
    result.launchBody = await launch.text()
  }
  return result
}
