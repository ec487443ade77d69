import type { FastifyInstance } from 'fastify'
import { generateKeyPair, SignJWT } from 'jose'
import type { Simulator } from '@mentorlink/simulator'
import { parseForm, seedCourse, startLmsFor, stateCookieOf } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-junk', deploymentId: 'deploy-junk' }
const who = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'c-junk', userId: 'u-real' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'c-junk', [{ id: 'u-real', name: 'Rosa Real', roles: ['Learner'] }])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

const postLaunch = async (fields: Record<string, string>, cookie?: string): Promise<Response> =>
  await fetch(`${app.config.publicUrl}/lti/launch`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie !== undefined ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString()
  })

/** An id_token naming the platform and this tool, signed with a key the platform never published. */
async function forgedIdToken (): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256')
  return await new SignJWT({ nonce: 'guess' }).setProtectedHeader({ alg: 'RS256', kid: 'forged' })
    .setIssuer(sim.issuer).setAudience(tool.clientId).setSubject('u-real').setIssuedAt().setExpirationTime('5m').sign(privateKey)
}

describe('junk posted at the launch endpoint', () => {
  it('is refused before any database work, so the state stays usable by the browser that owns it', async () => {
    const request = sim.launchRequest(who)
    const login = await fetch(request.loginUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(request.params).toString() })
    const cookie = stateCookieOf(login)
    const genuine = parseForm(await (await fetch(login.headers.get('location') ?? '')).text())
    const state = genuine.fields.state ?? ''
    const forged = await forgedIdToken()

    const junk = await Promise.all([
      // The genuine answer, posted by someone who got hold of it but not the browser's cookie.
      ...Array.from({ length: 10 }, async () => await postLaunch(genuine.fields)),
      // A made-up id_token with the state, even from the browser holding the cookie.
      ...Array.from({ length: 10 }, async () => await postLaunch({ state, id_token: forged }, cookie))
    ])
    expect(junk.map((res) => res.status)).toEqual(Array(20).fill(401))
    expect(await junk[0]?.text()).toMatch(/state was not issued to this browser/)
    expect(await junk[19]?.text()).toMatch(/key the platform does not publish|signature/)
    expect(await app.db.models.singleUseClaims.countDocuments({ _id: `oidc-state:${state}` })).toBe(0)
    expect(await app.db.models.sessions.countDocuments({})).toBe(0)

    const real = await postLaunch(genuine.fields, cookie)
    expect(real.status).toBe(302)
    expect(real.headers.get('location')).toMatch(/^\/student\?session=/)
  })
})
