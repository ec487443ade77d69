import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from 'jose'
import { LTI_CLAIM, type Tamper } from '@mentorlink/simulator'
import { launchIdToken } from './support/oidc'
import { startWorld, type World } from './support/world'

describe('simulator id_token tampering and key rotation', () => {
  let world: World
  beforeAll(async () => { world = await startWorld() })
  afterAll(async () => { await world.close() })

  const jwks = async (): Promise<JSONWebKeySet> => await (await fetch(world.sim.endpoints.jwks)).json() as JSONWebKeySet
  // Signature only: tampered claims such as exp must not make the check fail.
  const verifySignature = async (token: string) => await compactVerify(token, createLocalJWKSet(await jwks()), { algorithms: ['RS256'] })
  const tampered = async (t: Tamper) => {
    world.sim.tamperNextLaunch(t)
    return await launchIdToken(world.sim, world.tool)
  }

  it('publishes RS256 signing keys with kid, alg and use, counting fetches', async () => {
    const before = world.sim.stats.jwksFetches
    const { keys } = await jwks()
    expect(keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: expect.any(String), alg: 'RS256', use: 'sig' })])
    expect(keys[0]).not.toHaveProperty('d')
    const alias = await fetch(`${world.sim.url}/jwks`)
    expect((await alias.json() as JSONWebKeySet).keys[0]?.kid).toBe(keys[0]?.kid)
    expect(world.sim.stats.jwksFetches).toBe(before + 2)
  })

  it('breaks the signature or the kid on demand', async () => {
    await expect(verifySignature(await tampered({ kind: 'badSignature' }))).rejects.toThrow(/signature/)
    const unknownKid = await tampered({ kind: 'unknownKid' })
    const kids = (await jwks()).keys.map(k => k.kid)
    expect(kids).not.toContain(decodeProtectedHeader(unknownKid).kid)
  })

  it.each<[Tamper, (claims: Record<string, unknown>) => void]>([
    [{ kind: 'expired' }, c => { expect(c.exp).toBeLessThan(Date.now() / 1000) }],
    [{ kind: 'wrongAudience' }, c => { expect(c.aud).not.toBe('tool-client') }],
    [{ kind: 'wrongNonce' }, c => { expect(c.nonce).not.toBe('nonce-123') }],
    [{ kind: 'wrongIssuer' }, c => { expect(c.iss).not.toBe(world.sim.issuer) }],
    [{ kind: 'unknownDeployment' }, c => { expect(c[`${LTI_CLAIM}/deployment_id`]).not.toBe('deploy-1') }],
    [{ kind: 'removeClaim', claim: 'roles' }, c => { expect(c).not.toHaveProperty([`${LTI_CLAIM}/roles`]) }],
    [{ kind: 'removeClaim', claim: 'nonce' }, c => { expect(c).not.toHaveProperty('nonce') }],
    [{ kind: 'setClaim', claim: 'version', value: '1.1' }, c => { expect(c[`${LTI_CLAIM}/version`]).toBe('1.1') }]
  ])('applies %j to a validly signed token', async (tamper, check) => {
    const token = await tampered(tamper)
    await expect(verifySignature(token)).resolves.toBeDefined()
    check(decodeJwt(token))
  })

  it('tampers only the next `times` launches', async () => {
    world.sim.tamperNextLaunch({ kind: 'wrongNonce' }, 2)
    const nonces = []
    for (let i = 0; i < 3; i++) nonces.push(decodeJwt(await launchIdToken(world.sim, world.tool)).nonce)
    expect(nonces.map(n => n === 'nonce-123')).toEqual([false, false, true])
  })

  it('rotates keys, publishing the new and the previous key and signing with the new one', async () => {
    const [oldKey] = (await jwks()).keys
    world.sim.rotateKey()
    const { keys } = await jwks()
    expect(keys.map(k => k.kid)).toEqual([expect.any(String), oldKey?.kid])
    const token = await launchIdToken(world.sim, world.tool)
    expect(decodeProtectedHeader(token).kid).toBe(keys[0]?.kid)
    await expect(verifySignature(token)).resolves.toBeDefined()
    world.sim.rotateKey()
    expect((await jwks()).keys.map(k => k.kid)).not.toContain(oldKey?.kid)
  })

  it('replaces the signing key under the same kid, publishing only the new key', async () => {
    const [before] = (await jwks()).keys
    world.sim.replaceKey()
    const [after] = (await jwks()).keys
    expect(after?.kid).toBe(before?.kid)
    expect(after?.n).not.toBe(before?.n)
    const token = await launchIdToken(world.sim, world.tool)
    await expect(verifySignature(token)).resolves.toBeDefined()
    await expect(compactVerify(token, createLocalJWKSet({ keys: [before as NonNullable<typeof before>] }))).rejects.toThrow(/signature/)
  })
})
