import { createRemoteJWKSet, jwtVerify } from 'jose'
import { AGS_CLAIM, DL_CLAIM, LTI_CLAIM, NRPS_CLAIM, parseAutoSubmitForm } from '@mentorlink/simulator'
import { authFields, launchIdToken, postAuth } from './support/oidc'
import { startWorld, type World } from './support/world'

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'

describe('simulator OIDC launch', () => {
  let world: World
  beforeAll(async () => { world = await startWorld() })
  afterAll(async () => { await world.close() })

  const verify = async (idToken: string) => await jwtVerify(idToken, createRemoteJWKSet(new URL(world.sim.endpoints.jwks)), {
    issuer: world.sim.issuer, audience: world.tool.registration.clientId, algorithms: ['RS256']
  })

  it('answers /launch with an auto-submitting login initiation form', async () => {
    const { sim, tool } = world
    const res = await fetch(`${sim.url}/launch?client_id=tool-client&deployment_id=deploy-1&course=c1&user=alice`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('<noscript>')
    expect(html).toMatch(/<input type="hidden" name="login_hint" value="alice">/)
    const form = parseAutoSubmitForm(html)
    expect(form).toMatchObject({ method: 'POST', action: tool.registration.loginUrl })
    expect(form.fields).toMatchObject({
      iss: sim.issuer, login_hint: 'alice', target_link_uri: tool.registration.targetLinkUri,
      client_id: 'tool-client', lti_deployment_id: 'deploy-1'
    })
    expect(form.fields.lti_message_hint).toMatch(/^[\w-]{20,}$/)
  })

  it('answers /launch.json like launchRequest and refuses unknown deployments naming the field', async () => {
    const { sim } = world
    const ok = await fetch(`${sim.url}/launch.json?client_id=tool-client&deployment_id=deploy-1&course=c1&user=bob`)
    expect(await ok.json()).toMatchObject({ loginUrl: world.tool.registration.loginUrl, params: { login_hint: 'bob' } })
    const bad = await fetch(`${sim.url}/launch.json?client_id=tool-client&deployment_id=nope&course=c1&user=bob`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ parameter: 'deployment_id' })
    const missing = await fetch(`${sim.url}/launch.json?client_id=tool-client&deployment_id=deploy-1&course=c1`)
    expect(await missing.json()).toMatchObject({ parameter: 'user' })
  })

  it('issues an id_token that verifies with the platform JWKS and carries the LTI claims', async () => {
    const idToken = await launchIdToken(world.sim, world.tool, { userId: 'ta', resourceLinkId: 'rl-9', resourceLinkTitle: 'Mentoring' })
    const { payload, protectedHeader } = await verify(idToken)
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) })
    expect(payload).toMatchObject({
      sub: 'ta', azp: 'tool-client', nonce: 'nonce-123', name: 'Given ta Family', email: 'ta@example.edu',
      [`${LTI_CLAIM}/message_type`]: 'LtiResourceLinkRequest',
      [`${LTI_CLAIM}/version`]: '1.3.0',
      [`${LTI_CLAIM}/deployment_id`]: 'deploy-1',
      [`${LTI_CLAIM}/target_link_uri`]: world.tool.registration.targetLinkUri,
      [`${LTI_CLAIM}/resource_link`]: { id: 'rl-9', title: 'Mentoring' },
      [`${LTI_CLAIM}/roles`]: [`${MEMBERSHIP}#Instructor`, `${MEMBERSHIP}/Instructor#TeachingAssistant`],
      [`${LTI_CLAIM}/context`]: { id: 'c1', label: 'MBA-101', title: 'Leadership' },
      [`${LTI_CLAIM}/tool_platform`]: { product_family_code: 'mentorlink-simulator' },
      [`${LTI_CLAIM}/launch_presentation`]: { document_target: 'iframe' },
      [`${LTI_CLAIM}/custom`]: { cohort: '2025' },
      [NRPS_CLAIM]: { context_memberships_url: `${world.sim.url}/api/courses/c1/memberships`, service_versions: ['2.0'] },
      [AGS_CLAIM]: { lineitems: `${world.sim.url}/api/courses/c1/lineitems` }
    })
    expect(payload.exp).toBe((payload.iat ?? 0) + 300)
    expect((payload[AGS_CLAIM] as { scope: string[] }).scope).toHaveLength(4)
  })

  it('names the line item in the AGS claim, explicitly or through the resource link', async () => {
    const item = world.sim.addLineItem('c1', { label: 'Mentoring', scoreMaximum: 10, resourceLinkId: 'rl-graded' })
    const { payload } = await verify(await launchIdToken(world.sim, world.tool, { resourceLinkId: 'rl-graded' }))
    expect(payload[AGS_CLAIM]).toMatchObject({ lineitem: item.id })
    const explicit = await verify(await launchIdToken(world.sim, world.tool, { lineItemId: '42' }))
    expect(explicit.payload[AGS_CLAIM]).toMatchObject({ lineitem: `${world.sim.url}/api/courses/c1/lineitems/42` })
  })

  it('sends deep linking settings instead of a resource link for LtiDeepLinkingRequest', async () => {
    const { payload } = await verify(await launchIdToken(world.sim, world.tool, { userId: 'teacher', messageType: 'LtiDeepLinkingRequest' }))
    expect(payload[`${LTI_CLAIM}/resource_link`]).toBeUndefined()
    expect(payload[`${DL_CLAIM}/deep_linking_settings`]).toMatchObject({
      deep_link_return_url: `${world.sim.url}/deep-link-return`, accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'], accept_multiple: false, accept_lineitem: true,
      data: expect.any(String)
    })
  })

  describe('/auth refusals', () => {
    const login = () => world.sim.launchRequest({ clientId: 'tool-client', deploymentId: 'deploy-1', courseId: 'c1', userId: 'alice' }).params

    it.each([
      ['redirect_uri', { redirect_uri: 'https://evil.example.com/launch' }],
      ['login_hint', { login_hint: 'bob' }],
      ['nonce', { nonce: undefined }],
      ['state', { state: undefined }],
      ['prompt', { prompt: 'login' }],
      ['response_mode', { response_mode: 'query' }],
      ['client_id', { client_id: 'other-client' }],
      ['lti_message_hint', { lti_message_hint: 'forged' }]
    ])('400 naming %s', async (field, overrides) => {
      const res = await postAuth(world.sim, authFields(world.tool, login(), overrides))
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: 'invalid_request', parameter: field })
    })

    it('accepts GET and uses the message hint only once', async () => {
      const fields = authFields(world.tool, login())
      const first = await fetch(`${world.sim.endpoints.auth}?${new URLSearchParams(fields).toString()}`)
      expect(first.status).toBe(200)
      expect(parseAutoSubmitForm(await first.text())).toMatchObject({
        action: world.tool.registration.redirectUris[0], fields: { state: 'state-456', id_token: expect.any(String) }
      })
      const replay = await postAuth(world.sim, fields)
      expect(await replay.json()).toMatchObject({ parameter: 'lti_message_hint' })
    })

    it('refuses launches of users who are not active members', () => {
      world.sim.setMemberStatus('c1', 'bob', 'Inactive')
      expect(() => world.sim.launchRequest({ clientId: 'tool-client', deploymentId: 'deploy-1', courseId: 'c1', userId: 'bob' }))
        .toThrow(/not an active member/)
      world.sim.setMemberStatus('c1', 'bob', 'Active')
    })
  })
})
