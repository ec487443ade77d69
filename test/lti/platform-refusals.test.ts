import type { FastifyInstance } from 'fastify'
import type { SignInRefusal, Simulator } from '@mentorlink/simulator'
import { parseForm, seedCourse, startLmsFor, stateCookieOf } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-refusal', deploymentId: 'deploy-refusal' }
const who = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'c-refusal', userId: 'u-refused' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'c-refusal', [{ id: 'u-refused', name: 'Rita Refused', roles: ['Learner'] }])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

/** A browser's sign-in that the platform refuses: login → platform auth → its error answer at the launch URL. */
async function refusedSignIn (refusal: SignInRefusal, accept = 'text/html'): Promise<{ res: Response, state: string }> {
  sim.refuseNextSignIn(refusal)
  const request = sim.launchRequest(who)
  const login = await fetch(request.loginUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(request.params).toString() })
  const authUrl = login.headers.get('location') ?? ''
  const state = new URL(authUrl).searchParams.get('state') ?? ''
  const headers = { cookie: stateCookieOf(login), accept }
  const auth = await fetch(authUrl, { redirect: 'manual' })
  if (refusal.answer === 'redirect') {
    expect(auth.status).toBe(302)
    return { res: await fetch(auth.headers.get('location') ?? '', { redirect: 'manual', headers }), state }
  }
  const form = parseForm(await auth.text())
  expect(form.fields).not.toHaveProperty('id_token')
  const res = await fetch(form.action, { method: 'POST', redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form.fields).toString() })
  return { res, state }
}

const stateUse = async (state: string) => await app.db.models.singleUseClaims.findById(`oidc-state:${state}`).lean()

describe("the platform's error answer to a sign-in", () => {
  it.each(['redirect', 'form_post'] as const)('answered by %s: the person reads why and what to do, and the state is used up', async (answer) => {
    const { res, state } = await refusedSignIn({ error: 'login_required', description: 'User is not logged in', answer })
    expect(res.status).toBe(401)
    const html = await res.text()
    expect(html).toContain('Your learning platform did not sign you in')
    expect(html).toContain('not signed in to it any more')
    expect(html).toContain('Sign in to your learning platform again, then open Mentorlink from your course page.')
    expect(html).toContain('User is not logged in')
    expect(html).toContain('<code>login_required</code>')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.getSetCookie().join(';')).toMatch(/ml_state_[\w-]+=;/)
    expect(await stateUse(state)).toMatchObject({ detail: { refusedByPlatform: true } })
  })

  it('tells a person refused access to ask about their enrolment, with 403', async () => {
    const { res } = await refusedSignIn({ error: 'access_denied', answer: 'form_post' })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('ask your instructor to check that you are enrolled')
  })

  it("shows the platform's own words as text, never as markup", async () => {
    const { res } = await refusedSignIn({ error: 'server_error', description: '<script>alert(1)</script>\u0007 Database down', answer: 'redirect' })
    const html = await res.text()
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Database down')
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('Wait a few minutes')
  })

  it('answers a client that is not a browser in JSON', async () => {
    const { res } = await refusedSignIn({ error: 'invalid_client', description: 'Unknown client', answer: 'form_post' }, 'application/json')
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ statusCode: 401, error: 'LTI_PLATFORM_REFUSED', message: expect.stringContaining('learning platform administrator') })
  })

  it('names the field when the platform sent neither a sign-in nor an error', async () => {
    const res = await fetch(`${app.config.publicUrl}/lti/launch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id_token=abc' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'VALIDATION_FAILED', fields: [{ field: 'body.state' }] })
  })
})
