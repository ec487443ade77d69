import crypto from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, importJWK } from 'jose'
import type { Simulator } from '@mentorlink/simulator'
import { startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-keys', deploymentId: 'deploy-keys' }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('the tool JWKS', () => {
  it('publishes RSA signing keys with kid, alg and use, as Canvas requires', async () => {
    const res = await fetch(`${app.config.publicUrl}/lti/keys`)
    expect(res.status).toBe(200)
    const { keys } = await res.json() as { keys: Array<Record<string, string>> }
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) })
  })

  it('makes the key pair of a new registration LTI_TOOL_KEY_BITS long, and leaves node:crypto as it found it', async () => {
    expect(app.config.toolKeyBits).toBe(2048)
    const generate = crypto.generateKeyPairSync
    await app.platformRegistry.add({
      issuer: sim.issuer,
      clientId: 'client-keys-2',
      name: 'Second registration',
      authEndpoint: sim.endpoints.auth,
      tokenEndpoint: sim.endpoints.token,
      jwksUrl: sim.endpoints.jwks,
      deploymentIds: ['deploy-keys-2']
    })
    expect(crypto.generateKeyPairSync).toBe(generate)
    const { keys } = await (await fetch(`${app.config.publicUrl}/lti/keys`)).json() as { keys: crypto.JsonWebKey[] }
    expect(keys).toHaveLength(2)
    for (const jwk of keys) expect(crypto.createPublicKey({ key: jwk, format: 'jwk' }).asymmetricKeyDetails?.modulusLength).toBe(2048)
    // any other caller gets what it asks for
    expect(generate('rsa', { modulusLength: 1024 }).privateKey.asymmetricKeyDetails?.modulusLength).toBe(1024)
  })

  it('verifies a client assertion the tool signs: the platform grants a service token', async () => {
    const before = sim.stats.tokenRequests
    const token = await app.serviceTokens.accessToken(sim.issuer, tool.clientId, ['https://purl.imsglobal.org/spec/lti-ags/scope/score'])
    expect(token).toEqual(expect.any(String))
    expect(sim.stats.tokenRequests).toBe(before + 1)
    // cached per platform and scope set: no second token request
    await app.serviceTokens.accessToken(sim.issuer, tool.clientId, ['https://purl.imsglobal.org/spec/lti-ags/scope/score'])
    expect(sim.stats.tokenRequests).toBe(before + 1)
  })

  it('does not verify an assertion signed by another key', async () => {
    const { generateKeyPair, exportJWK } = await import('jose')
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    const { keys } = await (await fetch(`${app.config.publicUrl}/lti/keys`)).json() as { keys: Array<{ kid: string }> }
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: keys[0]?.kid ?? '' })
      .setIssuer(tool.clientId).setSubject(tool.clientId).setAudience(sim.endpoints.token).setIssuedAt().setExpirationTime('1m').setJti('x1')
      .sign(privateKey)
    expect(decodeProtectedHeader(forged).kid).toBe(keys[0]?.kid)
    await expect(jwtVerify(forged, createRemoteJWKSet(new URL(`${app.config.publicUrl}/lti/keys`)))).rejects.toThrow()
    await expect(jwtVerify(forged, await importJWK(await exportJWK(publicKey), 'RS256'))).resolves.toBeDefined()
  })
})
