import http from 'node:http'
import { apiAs, startWorld, type World } from '../activities/support'

/** Inbound limits: a client over an endpoint's limit gets 429 with Retry-After and a message saying how long to wait. */
let world: World

beforeAll(async () => {
  world = await startWorld({
    // The world's nine people launch from 127.0.0.1; the tests below count from other addresses.
    config: { RATE_LIMIT_LAUNCHES_PER_MINUTE: '10', RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '2', RATE_LIMIT_EMAIL_SIGN_INS_PER_MINUTE: '2', RATE_LIMIT_CHECK_INS_PER_MINUTE: '2' }
  })
})
afterAll(async () => { await world?.close() })

interface Answer { status: number, retryAfter: string | undefined, body: string }

/**
 * A request from another loopback address than the test world's launches, so each endpoint's count starts at zero
 * (limits count per address).
 */
const sendFrom = async (address: string, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Answer> =>
  await new Promise((resolve, reject) => {
    const body = form === undefined ? undefined : new URLSearchParams(form).toString()
    const request = http.request(`${world.app.config.publicUrl}${path}`, {
      method,
      localAddress: address,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }
    }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => { text += chunk.toString() })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body: text }) })
    })
    request.on('error', reject)
    request.end(body)
  })

/** Sends `allowed` requests that are answered (whatever their answer), then one that must be 429. */
async function expectLimitedAfter (allowed: number, request: () => Promise<Answer>): Promise<void> {
  for (let i = 0; i < allowed; i++) expect((await request()).status).not.toBe(429)
  const over = await request()
  expect(over.status).toBe(429)
  expect(Number(over.retryAfter)).toBeGreaterThan(0)
  expect(JSON.parse(over.body)).toMatchObject({ statusCode: 429, error: 'RATE_LIMITED', message: expect.stringMatching(/Too many attempts from here\. Please wait (\d+ seconds?|1 minute) and try again\./) })
}

describe('endpoints anyone can call are limited per network address', () => {
  it('LTI login initiation', async () => {
    await expectLimitedAfter(10, async () => await sendFrom('127.0.0.2', 'GET', '/lti/login?iss=https%3A%2F%2Funknown.example.edu&login_hint=x&target_link_uri=x'))
  })

  it('the LTI launch', async () => {
    await expectLimitedAfter(10, async () => await sendFrom('127.0.0.3', 'POST', '/lti/launch', { state: 'junk', id_token: 'junk' }))
  })

  it('dynamic registration', async () => {
    await expectLimitedAfter(2, async () => await sendFrom('127.0.0.4', 'GET', '/lti/register?openid_configuration=https%3A%2F%2Flms.example.edu%2F.well-known'))
  })

  it('asking for an email sign-in link', async () => {
    await expectLimitedAfter(2, async () => await sendFrom('127.0.0.5', 'POST', '/sign-in', { email: 'nobody@example.com' }))
  })
})

describe('check-in codes', () => {
  it('are limited per student, so classmates on the venue network still check in', async () => {
    const api = apiAs(world)
    for (let i = 0; i < 2; i++) expect((await api('s1', 'POST', '/api/v1/check-ins', { code: '000000' })).status).not.toBe(429)
    const over = await api('s1', 'POST', '/api/v1/check-ins', { code: '000000' })
    expect(over.status).toBe(429)
    expect(over.body).toMatchObject({ error: 'RATE_LIMITED' })
    expect((await api('s2', 'POST', '/api/v1/check-ins', { code: '000000' })).status).not.toBe(429)
  })
})
