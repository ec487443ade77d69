import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { connectTool, launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score'

beforeAll(async () => {
  // Refetches of a platform's JWKS are rate-limited in production: here too, so the limit can be seen.
  app = await startTestApp({ LTI_JWKS_REFETCH_COOLDOWN_SECONDS: '30' })
  sim = await startLmsFor(app, { clientId: 'client-old', deploymentId: 'deploy-1' })
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

const publishedKids = async (): Promise<string[]> =>
  ((await (await fetch(`${app.config.publicUrl}/lti/keys`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid).sort()
const kidOf = async (clientId: string): Promise<string> =>
  (await app.platformRegistry.list()).find((p) => p.clientId === clientId)?.toolKid ?? ''

/** What docs/admin.md's "Rotating the tool's keys" promises, with ltijs 5.9's one key per registration. */
describe('rotating the tool keys', () => {
  it('publishes the old and the new key together while both registrations exist, then only the new one', async () => {
    const oldKid = await kidOf('client-old')
    await connectTool(app, sim, { clientId: 'client-new', deploymentId: 'deploy-1' })
    const newKid = await kidOf('client-new')
    expect(newKid).not.toBe(oldKid)
    expect(await publishedKids()).toEqual([oldKid, newKid].sort())

    await app.platformRegistry.remove(sim.issuer, 'client-old')
    expect(await publishedKids()).toEqual([newKid])
    await expect(app.serviceTokens.accessToken(sim.issuer, 'client-new', [SCORE])).resolves.toEqual(expect.any(String))
  })

  it('replaces the key of one registration in place by removing and adding it again', async () => {
    const [before] = await app.platformRegistry.list()
    if (!before) throw new Error('no registration')
    await app.platformRegistry.remove(before.issuer, before.clientId)
    const { toolKid: _old, ...values } = before
    const after = await app.platformRegistry.add({ ...values, authorizationServer: values.authorizationServer ?? undefined })
    expect(after.toolKid).not.toBe(before.toolKid)
    expect(await publishedKids()).toEqual([after.toolKid])
    // A fresh client assertion, signed with the new key, is accepted by the platform.
    await app.serviceTokens.forgetAccessToken(sim.issuer, before.clientId, [SCORE])
    const requests = sim.stats.tokenRequests
    await expect(app.serviceTokens.accessToken(sim.issuer, before.clientId, [SCORE])).resolves.toEqual(expect.any(String))
    expect(sim.stats.tokenRequests).toBe(requests + 1)
  })
})

describe('a platform that replaces its signing key under the same kid', () => {
  const tool = { clientId: 'client-keys', deploymentId: 'deploy-1' }
  const student = { ...tool, courseId: 'c-keys', userId: 'u-keys' }
  const platform = async (): Promise<Simulator> => {
    const lms = await startLmsFor(app, tool)
    seedCourse(lms, student.courseId, [{ id: student.userId, name: 'Kim Keys', roles: ['Learner'] }])
    return lms
  }
  const launchStatus = async (lms: Simulator): Promise<{ status: number, body: string }> => {
    const { launch, launchBody } = await launchAs(lms, student)
    return { status: launch.status, body: launchBody }
  }

  it('is fetched again at the first launch its cached key fails, and that launch goes through', async () => {
    const lms = await platform()
    try {
      expect((await launchStatus(lms)).status).toBe(302)
      const fetched = lms.stats.jwksFetches
      lms.replaceKey()
      const launches = await Promise.all([launchStatus(lms), launchStatus(lms), launchStatus(lms)])
      expect(launches.map((l) => l.status)).toEqual([302, 302, 302])
      expect(lms.stats.jwksFetches).toBe(fetched + 1)

      // A forged signature right after is refused without another fetch: the refetch was spent within the cooldown.
      for (const kind of ['badSignature', 'unknownKid'] as const) {
        lms.tamperNextLaunch({ kind })
        const forged = await launchStatus(lms)
        expect(forged.status).toBe(401)
        expect(forged.body).toMatch(kind === 'badSignature' ? /signature is invalid/ : /key the platform does not publish/)
      }
      expect(lms.stats.jwksFetches).toBe(fetched + 1)
    } finally {
      await lms.close()
    }
  })

  it('lets forged signatures cause one refetch per cooldown at most', async () => {
    const lms = await platform()
    try {
      expect((await launchStatus(lms)).status).toBe(302)
      const fetched = lms.stats.jwksFetches
      lms.tamperNextLaunch({ kind: 'badSignature' }, 5)
      const forged = await Promise.all(Array.from({ length: 5 }, async () => await launchStatus(lms)))
      expect(forged.map((l) => l.status)).toEqual([401, 401, 401, 401, 401])
      expect(lms.stats.jwksFetches).toBe(fetched + 1)
      // The genuine key still works, from the cache.
      expect((await launchStatus(lms)).status).toBe(302)
      expect(lms.stats.jwksFetches).toBe(fetched + 1)
    } finally {
      await lms.close()
    }
  })
})
