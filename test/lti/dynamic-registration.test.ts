import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { TOOL_SCOPES } from '../../src/lti/canvas-config'
import { createRegistrationAccess } from '../../src/lti/registration/registration-access'
import { createRegistrationLinkRepository } from '../../src/persistence/repositories/registration-link.repository'
import { startSimulator, TOOL_CONFIGURATION, type Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

const SECRET = 'registration-secret-for-tests-0123456789'
let app: FastifyInstance
let sim: Simulator

beforeAll(async () => {
  app = await startTestApp({ REGISTRATION_SECRET: SECRET })
  sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  seedCourse(sim, 'dr101', [{ id: 'u-dr-student', name: 'Dora Rossi', roles: ['Learner'] }])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

const registrationUrl = (query: string): string => `${app.config.publicUrl}/lti/register${query}`
const open = async (url: string): Promise<{ status: number, html: string }> => {
  const res = await fetch(url, { headers: { accept: 'text/html' } })
  return { status: res.status, html: await res.text() }
}

/** `npm run platform -- registration-link` against the app's database, as an admin runs it on the server. */
function registrationLinkFromCli (): string {
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/platform.ts', 'registration-link'], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH, MONGODB_URI: app.config.mongodbUri, PUBLIC_URL: app.config.publicUrl, NODE_ENV: 'test', LOG_LEVEL: 'silent' }
  })
  expect(cli.stderr).toBe('')
  const url = cli.stdout.split('\n')[0] ?? ''
  expect(url).toMatch(new RegExp(`^${app.config.publicUrl}/lti/register\\?link=[\\w-]{40,}$`))
  return url
}

describe('LTI Dynamic Registration with the simulator', () => {
  it('registers with the admin secret, stores client and deployment ids, and the new registration launches', async () => {
    const page = await open(sim.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`)))
    expect(page.status).toBe(200)
    expect(page.html).toContain('Mentorlink is registered')
    expect(page.html).toContain('/static/js/registration-close.js')
    expect(page.html).not.toContain('fewer permissions')

    const [created] = sim.dynamicRegistrations()
    expect(created?.request).toMatchObject({
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: `${app.config.publicUrl}/lti/login`,
      redirect_uris: [`${app.config.publicUrl}/lti/launch`],
      jwks_uri: `${app.config.publicUrl}/lti/keys`,
      token_endpoint_auth_method: 'private_key_jwt',
      scope: TOOL_SCOPES.join(' '),
      [TOOL_CONFIGURATION]: {
        claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
        messages: [
          expect.objectContaining({ type: 'LtiResourceLinkRequest', placements: ['course_navigation'] }),
          expect.objectContaining({ type: 'LtiDeepLinkingRequest', placements: ['assignment_selection', 'link_selection'] })
        ],
        'https://canvas.instructure.com/lti/privacy_level': 'public'
      }
    })
    const { clientId, deploymentId } = created ?? { clientId: '', deploymentId: '' }
    expect(page.html).toContain(clientId)
    expect(await app.platformRegistry.list()).toEqual(expect.arrayContaining([expect.objectContaining({
      issuer: sim.issuer, clientId, deploymentIds: [deploymentId], authEndpoint: sim.endpoints.auth, jwksUrl: sim.endpoints.jwks
    })]))

    const launch = await launchAs(sim, { clientId, deploymentId, courseId: 'dr101', userId: 'u-dr-student' })
    expect(launch.home?.status).toBe(200)
    expect(launch.home?.html).toContain('Dora Rossi')
    // The tool's key for the new registration is published: the platform grants it a service token.
    await expect(app.serviceTokens.accessToken(sim.issuer, clientId, [TOOL_SCOPES[3] ?? ''])).resolves.toEqual(expect.any(String))
  })

  it('registers with a one-time link from the command line, which works once', async () => {
    const link = registrationLinkFromCli()
    const before = sim.dynamicRegistrations().length
    const first = await open(sim.startDynamicRegistration(link))
    expect(first.status).toBe(200)
    expect(first.html).toContain('Mentorlink is registered')
    expect(sim.dynamicRegistrations()).toHaveLength(before + 1)

    const again = await open(sim.startDynamicRegistration(link))
    expect(again.status).toBe(403)
    expect(again.html).toMatch(/Only an administrator can register Mentorlink/)
    expect(sim.dynamicRegistrations()).toHaveLength(before + 1)
  })

  it.each([
    ['no secret or link', ''],
    ['a wrong secret', '?secret=not-the-registration-secret-0123456789'],
    ['an unknown link', '?link=made-up-link-token-0123456789abcdefghijklmnop']
  ])('refuses a registration with %s (403, nothing registered)', async (_case, query) => {
    const before = sim.dynamicRegistrations().length
    const page = await open(sim.startDynamicRegistration(registrationUrl(query)))
    expect(page.status).toBe(403)
    expect(page.html).toContain('Registration refused')
    expect(page.html).toMatch(/Only an administrator can register Mentorlink/)
    expect(page.html).toMatch(/npm run platform -- registration-link/)
    expect(sim.dynamicRegistrations()).toHaveLength(before)
  })

  it.each([
    ['token_endpoint_auth_methods_supported', (c: Record<string, unknown>) => ({ ...c, token_endpoint_auth_methods_supported: ['client_secret_basic'] }), /token_endpoint_auth_methods_supported: must include private_key_jwt/],
    ['id_token_signing_alg_values_supported', (c: Record<string, unknown>) => ({ ...c, id_token_signing_alg_values_supported: ['HS256'] }), /id_token_signing_alg_values_supported: must include RS256/],
    ['registration_endpoint', (c: Record<string, unknown>) => ({ ...c, registration_endpoint: undefined }), /registration_endpoint/],
    ['issuer', (c: Record<string, unknown>) => ({ ...c, issuer: 'https://lms.elsewhere.example.edu' }), /issuer: https:\/\/lms.elsewhere.example.edu is not on http:\/\/127\.0\.0\.1/],
    ['platform configuration', (c: Record<string, unknown>) => ({ ...c, 'https://purl.imsglobal.org/spec/lti-platform-configuration': undefined }), /lti-platform-configuration: is required/]
  ])('refuses an invalid platform configuration naming %s, and keeps the one-time link usable', async (_field, alterConfiguration, message) => {
    const access = createRegistrationAccess({ links: createRegistrationLinkRepository(app.db.models), publicUrl: app.config.publicUrl })
    const { url } = await access.createLink()
    const before = sim.dynamicRegistrations().length
    const page = await open(sim.startDynamicRegistration(url, { alterConfiguration }))
    expect(page.status).toBe(400)
    expect(page.html).toContain('Registration failed')
    expect(page.html).toMatch(/OpenID configuration cannot be used/)
    expect(page.html).toMatch(message)
    expect(sim.dynamicRegistrations()).toHaveLength(before)
    expect((await open(sim.startDynamicRegistration(url))).status).toBe(200)
  })

  it('accepts Moodle\'s form of the platform configuration (message types as names)', async () => {
    const moodle = (c: Record<string, unknown>) => ({
      ...c,
      'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '4.5', messages_supported: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] }
    })
    const page = await open(sim.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`), { alterConfiguration: moodle }))
    expect(page.status).toBe(200)
    expect(page.html).toContain(`moodle at ${new URL(sim.issuer).host}`)
    const messages = (sim.dynamicRegistrations().at(-1)?.request[TOOL_CONFIGURATION] as { messages: Array<{ type: string }> }).messages
    expect(messages.map((m) => m.type)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'])
  })

  it('warns when the platform grants fewer scopes than asked', async () => {
    const granted = TOOL_SCOPES.filter((s) => !s.endsWith('/lineitem') && !s.includes('lti-nrps'))
    const page = await open(sim.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`), { grantScopes: granted }))
    expect(page.status).toBe(200)
    expect(page.html).toContain('The platform granted fewer permissions than Mentorlink asked for')
    expect(page.html).toContain('create the completion column in the gradebook')
    expect(page.html).toContain('read the course roster')
    expect(page.html).not.toContain('data-auto-close')
    expect(sim.dynamicRegistrations().at(-1)?.grantedScopes).toEqual(granted)
  })

  it('tells the admin how to finish when the platform names no deployment (as Canvas may)', async () => {
    const before = (await app.platformRegistry.list()).length
    const page = await open(sim.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`), { omitDeploymentId: true }))
    expect(page.status).toBe(200)
    expect(page.html).toContain('One step is left')
    expect(page.html).toContain(`--client-id &#x27;${sim.dynamicRegistrations().at(-1)?.clientId ?? ''}&#x27;`)
    expect(await app.platformRegistry.list()).toHaveLength(before)
  })

  it('names a missing openid_configuration', async () => {
    const page = await open(registrationUrl(`?secret=${SECRET}`))
    expect(page.status).toBe(400)
    expect(page.html).toContain('openid_configuration')
  })
})

describe('LTI Dynamic Registration with Canvas', () => {
  let canvas: Simulator
  beforeAll(async () => {
    canvas = await startSimulator({ host: '127.0.0.1', port: 0, profile: 'canvas' })
    seedCourse(canvas, 'cv101', [{ id: 'u-cv-student', name: 'Cara Vance', roles: ['Learner'] }])
  })
  afterAll(async () => { await canvas?.close() })

  it('accepts Canvas\'s shared issuer served from the school\'s own host, and the registration launches', async () => {
    const page = await open(canvas.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`)))
    expect(page.status).toBe(200)
    expect(page.html).toContain('Mentorlink is registered')
    const created = canvas.dynamicRegistrations().at(-1)
    const registered = (await app.platformRegistry.list()).find((p) => p.clientId === created?.clientId)
    expect(registered).toMatchObject({ issuer: 'https://canvas.instructure.com', authEndpoint: canvas.endpoints.auth, deploymentIds: [created?.deploymentId] })
    const launch = await launchAs(canvas, { clientId: created?.clientId ?? '', deploymentId: created?.deploymentId ?? '', courseId: 'cv101', userId: 'u-cv-student' })
    expect(launch.home?.status).toBe(200)
  })

  it('never replaces an existing registration, which on a shared issuer would hand one school\'s launches to another', async () => {
    const existing = canvas.dynamicRegistrations().at(-1)
    const before = await app.platformRegistry.find('https://canvas.instructure.com', existing?.clientId ?? '')
    const page = await open(canvas.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`), { clientId: existing?.clientId }))
    expect(page.status).toBe(409)
    expect(page.html).toContain('already has a registration')
    expect(await app.platformRegistry.find('https://canvas.instructure.com', existing?.clientId ?? '')).toEqual(before)
  })

  it('still refuses another platform claiming an issuer on a host it is not served from', async () => {
    const page = await open(sim.startDynamicRegistration(registrationUrl(`?secret=${SECRET}`), { alterConfiguration: (c) => ({ ...c, issuer: 'https://canvas.instructure.com' }) }))
    expect(page.status).toBe(400)
    expect(page.html).toContain('is not on')
  })
})
