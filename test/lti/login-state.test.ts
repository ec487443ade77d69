import { SignJWT } from 'jose'
import { createLoginStates } from '../../src/lti/login-state'

const states = createLoginStates('a-session-secret-of-enough-length-0123456789')
const platform = { issuer: 'https://lms.example.edu', clientId: 'client-1' }
const tokenFor = async (iss: string, aud: string | string[]): Promise<string> =>
  await new SignJWT({ iss, aud }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('unverified-here'))

describe('signed OIDC login states', () => {
  it('reads back the platform, storage target, nonce and expiry a state was issued with', async () => {
    const { state, nonce } = states.issue({ ...platform, storageTarget: 'frame.name-1' }, 600)
    expect(state.length).toBeLessThanOrEqual(256)
    const read = states.read(state, await tokenFor(platform.issuer, ['other', platform.clientId]))
    expect(read).toMatchObject({ ...platform, storageTarget: 'frame.name-1', nonce })
    expect(typeof read !== 'string' && read.expiresAt.getTime()).toBeGreaterThan(Date.now() + 590_000)
  })

  it('refuses a state issued to another platform, another secret\'s state, a tampered one and an expired one', async () => {
    const { state } = states.issue(platform, 600)
    const token = await tokenFor(platform.issuer, platform.clientId)
    expect(states.read(state, await tokenFor('https://evil.example.com', platform.clientId))).toBe('other platform')
    expect(states.read(state, await tokenFor(platform.issuer, 'client-2'))).toBe('other platform')
    expect(states.read(state, 'not a token')).toBe('other platform')
    expect(createLoginStates('another-secret-of-enough-length-0123456789').read(state, token)).toBe('other platform')
    const [expiry, random, target, mac] = state.split('.') as [string, string, string, string]
    expect(states.read([expiry, random, 'injected', mac].join('.'), token)).toBe('other platform')
    expect(states.read([(parseInt(expiry, 36) + 100).toString(36), random, target, mac].join('.'), token)).toBe('other platform')
    expect(states.read('random-state-of-some-platform', token)).toBe('unknown')
    expect(states.read(state, token, new Date(Date.now() + 601_000))).toBe('unknown')
  })

  it('gives each login its own state and nonce', () => {
    const a = states.issue(platform, 600)
    const b = states.issue(platform, 600)
    expect(a.state).not.toBe(b.state)
    expect(a.nonce).not.toBe(b.nonce)
  })
})
