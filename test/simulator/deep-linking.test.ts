import { decodeJwt } from 'jose'
import { DL_CLAIM, LTI_CLAIM } from '@mentorlink/simulator'
import { launchIdToken } from './support/oidc'
import { startWorld, type World } from './support/world'

describe('simulator deep linking return', () => {
  let world: World
  beforeAll(async () => { world = await startWorld() })
  afterAll(async () => { await world.close() })

  const deepLinkData = async (): Promise<string> => {
    const claims = decodeJwt(await launchIdToken(world.sim, world.tool, { userId: 'teacher', messageType: 'LtiDeepLinkingRequest' }))
    return (claims[`${DL_CLAIM}/deep_linking_settings`] as { data: string }).data
  }
  const response = async (data: string, overrides: Record<string, unknown> = {}) => await world.tool.sign({
    iss: 'tool-client',
    aud: world.sim.issuer,
    nonce: 'dl-nonce',
    [`${LTI_CLAIM}/message_type`]: 'LtiDeepLinkingResponse',
    [`${LTI_CLAIM}/version`]: '1.3.0',
    [`${LTI_CLAIM}/deployment_id`]: 'deploy-1',
    [`${DL_CLAIM}/data`]: data,
    [`${DL_CLAIM}/content_items`]: [{
      type: 'ltiResourceLink', title: 'Mentoring programme', url: world.tool.registration.targetLinkUri,
      lineItem: { scoreMaximum: 100, label: 'Mentoring completion', resourceId: 'programme-1' }
    }],
    ...overrides
  })
  const post = async (jwt: string) => await fetch(`${world.sim.url}/deep-link-return`, {
    method: 'POST', body: new URLSearchParams({ JWT: jwt })
  })

  it('verifies the response and creates the requested line item', async () => {
    const res = await post(await response(await deepLinkData()))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Mentoring programme')
    const [result] = world.sim.deepLinkResults()
    expect(result).toMatchObject({ clientId: 'tool-client', deploymentId: 'deploy-1', courseId: 'c1' })
    expect(world.sim.lineItems('c1')).toEqual([expect.objectContaining({
      label: 'Mentoring completion', scoreMaximum: 100, resourceId: 'programme-1', resourceLinkId: expect.any(String)
    })])
  })

  it.each([
    ['data', async () => await response('not-the-data')],
    ['JWT', async () => await response(await deepLinkData(), { aud: 'https://elsewhere.example.com' })],
    [`${DL_CLAIM}/content_items`, async () => await response(await deepLinkData(), {
      [`${DL_CLAIM}/content_items`]: [{ type: 'ltiResourceLink' }, { type: 'ltiResourceLink' }]
    })],
    [`${LTI_CLAIM}/message_type`, async () => await response(await deepLinkData(), { [`${LTI_CLAIM}/message_type`]: 'LtiResourceLinkRequest' })]
  ])('refuses a response with a bad %s', async (field, build) => {
    const res = await post(await build())
    expect(res.status).toBe(400)
    const body = await res.json() as { errors: Array<{ field: string }> }
    expect(body.errors[0]?.field).toContain(field)
  })
})
