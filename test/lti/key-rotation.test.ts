import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { connectTool, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score'

beforeAll(async () => {
  app = await startTestApp()
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
