import type { FastifyInstance } from 'fastify'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { DL_CLAIM, LTI_CLAIM, type Simulator } from '@mentorlink/simulator'
import { launchAs, parseForm, seedCourse, startLmsFor, type Form } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-dl', deploymentId: 'deploy-dl' }
const dl = { clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'dl540', messageType: 'LtiDeepLinkingRequest' as const }

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'dl540', [
    { id: 'u-dl-teacher', name: 'Ines Instructor', roles: ['Instructor'] },
    { id: 'u-dl-student', name: 'Sam Student', roles: ['Learner'] }
  ])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

/** A deep linking launch, keeping the platform's `data` from the id_token it posted. */
async function deepLinkLaunch (userId: string) {
  let posted: Form | undefined
  const result = await launchAs(sim, { ...dl, userId }, { alterResponse: (form) => { posted = form; return form } })
  const settings = decodeJwt(posted?.fields.id_token ?? '')[`${DL_CLAIM}/deep_linking_settings`] as { data: string, deep_link_return_url: string }
  return { result, data: settings.data, returnUrl: settings.deep_link_return_url }
}

const submit = async (session: string, fields: Record<string, string>): Promise<Response> =>
  await fetch(`${app.config.publicUrl}/lti/deep-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ session, ...fields }).toString()
  })

const verifyResponse = async (jwt: string) =>
  (await jwtVerify(jwt, createRemoteJWKSet(new URL(`${app.config.publicUrl}/lti/keys`)), { issuer: tool.clientId, audience: sim.issuer, algorithms: ['RS256'] })).payload

const postToPlatform = async (form: Form): Promise<Response> =>
  await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })

describe('deep linking', () => {
  it('lets an instructor add the completion as a graded assignment: signed response, data echoed, line item created', async () => {
    const { result, data, returnUrl } = await deepLinkLaunch('u-dl-teacher')
    expect(new URL(result.home?.url ?? '').pathname).toBe('/lti/deep-link')
    expect(result.home?.html).toContain('Add Mentorlink completion as a graded assignment')
    expect(result.home?.html).toContain('value="Mentoring programme completion"')
    expect(result.home?.html).toContain('value="100"')

    const res = await submit(result.sessionToken ?? '', { label: 'Mentoring completion (DL540)', scoreMaximum: '50', action: 'add' })
    expect(res.status).toBe(200)
    const form = parseForm(await res.text())
    expect(form.action).toBe(returnUrl)
    const jwt = form.fields.JWT ?? ''
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: expect.any(String) })
    const claims = await verifyResponse(jwt)
    expect(claims).toMatchObject({
      nonce: expect.any(String),
      [`${LTI_CLAIM}/message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI_CLAIM}/version`]: '1.3.0',
      [`${LTI_CLAIM}/deployment_id`]: tool.deploymentId,
      [`${DL_CLAIM}/data`]: data,
      [`${DL_CLAIM}/content_items`]: [{
        type: 'ltiResourceLink',
        title: 'Mentoring completion (DL540)',
        url: `${app.config.publicUrl}/lti/launch`,
        lineItem: { label: 'Mentoring completion (DL540)', scoreMaximum: 50, resourceId: 'mentorlink-completion', tag: 'mentorlink' }
      }]
    })

    const accepted = await postToPlatform(form)
    expect(accepted.status).toBe(200)
    expect(sim.lineItems('dl540')).toEqual([expect.objectContaining({
      label: 'Mentoring completion (DL540)', scoreMaximum: 50, resourceId: 'mentorlink-completion', tag: 'mentorlink'
    })])
    expect(sim.deepLinkResults().at(-1)).toMatchObject({ clientId: tool.clientId, deploymentId: tool.deploymentId, courseId: 'dl540' })

    // A deep linking request is answered once.
    expect((await submit(result.sessionToken ?? '', { label: 'Again', scoreMaximum: '10' })).status).toBe(404)
  })

  it('names the fields an instructor got wrong and keeps the request open', async () => {
    const { result } = await deepLinkLaunch('u-dl-teacher')
    const bad = await submit(result.sessionToken ?? '', { label: '  ', scoreMaximum: 'lots', action: 'add' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('Assignment name is required')
    expect(html).toContain('Points possible must be a number')
    expect((await submit(result.sessionToken ?? '', { label: 'Completion', scoreMaximum: '0' })).status).toBe(400)
    expect((await submit(result.sessionToken ?? '', { label: 'Completion', scoreMaximum: '20' })).status).toBe(200)
  })

  it('returns no content when the instructor cancels', async () => {
    const { result, data } = await deepLinkLaunch('u-dl-teacher')
    const form = parseForm(await (await submit(result.sessionToken ?? '', { action: 'cancel' })).text())
    const claims = await verifyResponse(form.fields.JWT ?? '')
    expect(claims[`${DL_CLAIM}/content_items`]).toEqual([])
    expect(claims[`${DL_CLAIM}/data`]).toBe(data)
    expect(claims[`${DL_CLAIM}/errormsg`]).toBeUndefined()
    expect((await postToPlatform(form)).status).toBe(200)
  })

  it('answers a learner\'s deep linking launch with an error response to the platform', async () => {
    const items = sim.lineItems('dl540').length
    const waiting = await app.db.models.deepLinkRequests.countDocuments({})
    const { result, data, returnUrl } = await deepLinkLaunch('u-dl-student')
    expect(result.launch.status).toBe(200)
    const form = parseForm(result.launchBody)
    expect(form.action).toBe(returnUrl)
    const claims = await verifyResponse(form.fields.JWT ?? '')
    expect(claims[`${DL_CLAIM}/errormsg`]).toBe('Only instructors can add Mentorlink to a course.')
    expect(claims[`${DL_CLAIM}/errormsg `]).toBeUndefined()
    expect(claims[`${DL_CLAIM}/content_items`]).toEqual([])
    expect(claims[`${DL_CLAIM}/data`]).toBe(data)

    expect((await postToPlatform(form)).status).toBe(200)
    expect(sim.deepLinkResults().at(-1)).toMatchObject({ errormsg: 'Only instructors can add Mentorlink to a course.', contentItems: [] })
    expect(sim.lineItems('dl540')).toHaveLength(items)
    expect(await app.db.models.deepLinkRequests.countDocuments({})).toBe(waiting)
  })
})
