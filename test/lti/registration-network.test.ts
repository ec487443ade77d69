import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { createRegistrationAccess } from '../../src/lti/registration/registration-access'
import { createAddressCheck } from '../../src/lti/registration/platform-request'
import { createRegistrationLinkRepository } from '../../src/persistence/repositories/registration-link.repository'
import { freePort } from '../../src/persistence/ferretdb'
import { startTestApp } from '../helpers/test-app'

/**
 * Dynamic registration makes Mentorlink's server fetch the URLs a registration URL names. As in production
 * (REGISTRATION_ALLOW_PRIVATE_NETWORKS=false), it calls no loopback, private, link-local or reserved address unless
 * REGISTRATION_ALLOWED_HOSTS lists it (here 127.0.0.1, where the main simulator runs: an on-premises LMS), follows no
 * redirect, shows nothing of an answer but its status, says the same for a refused address as for a closed port,
 * and uses a one-time link up after 5 failed attempts.
 */
const SECRET = 'registration-secret-for-tests-0123456789'
const INTERNAL_SECRET = 'internal-only-8f3a2c'
let app: FastifyInstance
let sim: Simulator
let elsewhere: Simulator
/** A service on the server's own network that must never be called: it counts what reaches it. */
let internal: http.Server
let internalHits = 0
let internalUrl = ''
let redirectTarget: http.Server
let redirectHits = 0

const listen = async (server: http.Server, host: string): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return `http://${host}:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  app = await startTestApp({ REGISTRATION_SECRET: SECRET, REGISTRATION_ALLOW_PRIVATE_NETWORKS: 'false', REGISTRATION_ALLOWED_HOSTS: '127.0.0.1/32' })
  sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  elsewhere = await startSimulator({ host: '127.0.0.2', port: 0 })
  internal = http.createServer((_req, res) => { internalHits++; res.writeHead(500, { 'content-type': 'text/plain' }).end(`db password: ${INTERNAL_SECRET}`) })
  internalUrl = `${await listen(internal, '127.0.0.2')}/admin/config`
  redirectTarget = http.createServer((_req, res) => { redirectHits++; res.writeHead(200, { 'content-type': 'application/json' }).end('{}') })
  await listen(redirectTarget, '127.0.0.1')
})

afterAll(async () => {
  await sim?.close()
  await elsewhere?.close()
  internal?.close()
  redirectTarget?.close()
  await app?.close()
})

const withSecret = (): string => `${app.config.publicUrl}/lti/register?secret=${SECRET}`
const open = async (url: string): Promise<{ status: number, html: string }> => {
  const res = await fetch(url, { headers: { accept: 'text/html' } })
  return { status: res.status, html: await res.text() }
}
/** The registration page for an OpenID configuration URL of our choosing. */
const registerFrom = async (openidConfiguration: string, base = withSecret()): Promise<{ status: number, html: string }> =>
  await open(`${base}&openid_configuration=${encodeURIComponent(openidConfiguration)}&registration_token=made-up`)
const messageOf = (html: string): string => (/<p class="error-message">([^<]*)<\/p>/.exec(html)?.[1] ?? '').replace(/&#x27;/g, '\'').replace(/&#x3D;/g, '=')
const unreachable = (url: string): string => `Could not reach the platform's OpenID configuration at ${url}. Check the address, and that Mentorlink's server ` +
  'can reach it: Mentorlink calls only public internet addresses unless its administrator allows others (REGISTRATION_ALLOWED_HOSTS, REGISTRATION_ALLOW_PRIVATE_NETWORKS).'

describe('what dynamic registration calls', () => {
  it('refuses a platform on a loopback address it was not allowed, calling nothing there', async () => {
    const before = elsewhere.stats.openidConfigurationRequests ?? 0
    const page = await open(elsewhere.startDynamicRegistration(withSecret()))
    expect(page.status).toBe(502)
    expect(page.html).toContain('Registration failed')
    expect(elsewhere.stats.openidConfigurationRequests ?? 0).toBe(before)
    expect(elsewhere.dynamicRegistrations()).toHaveLength(0)
  })

  it.each([
    ['a loopback service', () => internalUrl],
    ['IPv6 loopback', () => 'http://[::1]:9/'],
    ['loopback written as a number', () => 'http://2130706433:9/'],
    ['loopback as an IPv4-mapped IPv6 address', () => 'http://[::ffff:127.0.0.2]:9/'],
    ['the cloud metadata service (link-local)', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network', () => 'http://10.255.255.1/config'],
    ['the unspecified address', () => 'http://0.0.0.0:9/'],
    ['a name that resolves to loopback', () => 'http://localhost:9/']
  ])('refuses %s with the same words as a closed port, and shows nothing of any answer', async (_what, url) => {
    const hits = internalHits
    const started = Date.now()
    const page = await registerFrom(url())
    expect(page.status).toBe(502)
    expect(messageOf(page.html)).toBe(unreachable(url()))
    expect(page.html).not.toContain(INTERNAL_SECRET)
    expect(internalHits).toBe(hits)
    // Refused before connecting: an unroutable private address does not wait for a timeout.
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('says the same for a closed port on an allowed address as for a refused one', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/config`
    const refused = internalUrl
    const [a, b] = await Promise.all([registerFrom(closed), registerFrom(refused)])
    expect([a.status, b.status]).toEqual([502, 502])
    expect(messageOf(a.html).replace(closed, 'URL')).toBe(messageOf(b.html).replace(refused, 'URL'))
  })

  it('registers an LMS on an address REGISTRATION_ALLOWED_HOSTS lists (an on-premises LMS)', async () => {
    const page = await open(sim.startDynamicRegistration(withSecret()))
    expect(page.status).toBe(200)
    expect(page.html).toContain('Mentorlink is registered')
  })

  it('follows no redirect, even to an allowed address', async () => {
    const target = `http://127.0.0.1:${(redirectTarget.address() as AddressInfo).port}/openid-configuration`
    const page = await open(sim.startDynamicRegistration(withSecret(), { configurationAnswer: { status: 302, headers: { location: target } } }))
    expect(page.status).toBe(502)
    expect(messageOf(page.html)).toMatch(/answered HTTP 302: a redirect, which Mentorlink does not follow: use the address it leads to\.$/)
    expect(redirectHits).toBe(0)
  })

  it.each([
    ['an error page', { configurationAnswer: { status: 500, body: `Internal error near ${INTERNAL_SECRET}` } }, /OpenID configuration at .* answered HTTP 500: an error on the platform's side: try again later\.$/],
    ['a refusal', { configurationAnswer: { status: 403, body: `forbidden: ${INTERNAL_SECRET}` } }, /answered HTTP 403: the platform refused the request: the registration token may have expired/],
    ['no JSON', { configurationAnswer: { status: 200, body: `<html>${INTERNAL_SECRET}</html>` } }, /OpenID configuration at .* did not answer JSON$/],
    ['a refused registration', { registrationAnswer: { status: 400, body: `{"error":"${INTERNAL_SECRET}"}` } }, /registration endpoint at .* answered HTTP 400: the platform refused the request\.$/]
  ])('shows nothing of %s but its status', async (_what, options, message) => {
    const page = await open(sim.startDynamicRegistration(withSecret(), options))
    expect(page.status).toBe(502)
    expect(messageOf(page.html)).toMatch(message)
    expect(page.html).not.toContain(INTERNAL_SECRET)
    expect(page.html).not.toContain('can be tried')
  })

  it('knows public, private and reserved addresses apart (IPv4, IPv6, mapped and embedded forms)', () => {
    const strict = createAddressCheck({ allowPrivateNetworks: false, allowedHosts: ['lms.campus.example.edu', '10.20.0.0/16', '192.168.7.7'] })
    const open = createAddressCheck({ allowPrivateNetworks: true, allowedHosts: [] })
    const cases: Array<[string, boolean, boolean]> = [
      // address, allowed when strict, allowed with private networks
      ['93.184.216.34', true, true],
      ['2606:4700::6810:85e5', true, true],
      ['127.0.0.1', false, true],
      ['::1', false, true],
      ['::ffff:127.0.0.1', false, true],
      ['10.1.2.3', false, true],
      ['10.20.3.4', true, true],
      ['172.31.255.255', false, true],
      ['192.168.7.7', true, true],
      ['192.168.7.8', false, true],
      ['100.64.0.1', false, true],
      ['fd12:3456::1', false, true],
      ['169.254.169.254', false, false],
      ['::ffff:169.254.169.254', false, false],
      ['fe80::1', false, false],
      ['0.0.0.0', false, false],
      ['::', false, false],
      ['224.0.0.1', false, false],
      ['255.255.255.255', false, false],
      ['64:ff9b::7f00:1', false, false],
      ['2002:7f00:1::', false, false]
    ]
    expect(cases.map(([address]) => [address, strict.addressAllowed(address), open.addressAllowed(address)])).toEqual(cases)
    expect([strict.hostAllowed('LMS.campus.example.edu'), strict.hostAllowed('evil.example.com')]).toEqual([true, false])
  })
})

describe('failed attempts with a one-time link', () => {
  const linkUrl = async (): Promise<string> => {
    const access = createRegistrationAccess({ links: createRegistrationLinkRepository(app.db.models), publicUrl: app.config.publicUrl })
    return (await access.createLink()).url
  }

  it('counts each failure against the link, says how many tries are left, and uses it up at the fifth', async () => {
    const url = await linkUrl()
    const left: string[] = []
    for (let attempt = 1; attempt <= 5; attempt++) {
      const page = await registerFrom(internalUrl, url)
      expect(page.status).toBe(502)
      left.push(/can be tried (\d+) more/.exec(page.html)?.[1] ?? (page.html.includes('is used up') ? 'used up' : '?'))
    }
    expect(left).toEqual(['4', '3', '2', '1', 'used up'])
    expect((await registerFrom(internalUrl, url)).status).toBe(403)
    const good = await open(sim.startDynamicRegistration(url))
    expect(good.status).toBe(403)
    expect(good.html).toContain('Registration refused')
  })

  it('counts exactly five failures when attempts come at once', async () => {
    const url = await linkUrl()
    const statuses: number[] = []
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(Array.from({ length: 4 }, async () => (await registerFrom(internalUrl, url)).status))
      statuses.push(...answers)
      if (answers.every((s) => s === 403) && statuses.filter((s) => s === 502).length >= 5) break
    }
    expect(statuses.filter((s) => s === 502)).toHaveLength(5)
    expect(statuses.filter((s) => s !== 502 && s !== 403)).toEqual([])
    expect((await open(sim.startDynamicRegistration(url))).status).toBe(403)
  })

  it('still registers with a link after a failure', async () => {
    const url = await linkUrl()
    expect((await registerFrom(internalUrl, url)).status).toBe(502)
    expect((await open(sim.startDynamicRegistration(url))).status).toBe(200)
  })
})
