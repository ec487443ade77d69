import type { FastifyInstance } from 'fastify'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { DEMO_CLIENT_ID, DEMO_COURSE, DEMO_DEPLOYMENT_ID, DEMO_USERS } from './demo-course'

export interface Demo { simulator: Simulator, launchUrls: Array<{ who: string, role: string, url: string }> }

/**
 * Runs the bundled LMS simulator beside the app, registers it as a platform and seeds a demo course, so a
 * newcomer can launch as each role with no configuration.
 */
export async function startDemo (app: FastifyInstance, port: number): Promise<Demo> {
  const publicUrl = app.config.publicUrl
  const simulator = await startSimulator({ host: '127.0.0.1', port, profile: app.config.simulatorProfile })
  simulator.addTool({
    clientId: DEMO_CLIENT_ID,
    deploymentIds: [DEMO_DEPLOYMENT_ID],
    loginUrl: `${publicUrl}/lti/login`,
    redirectUris: [`${publicUrl}/lti/launch`],
    targetLinkUri: `${publicUrl}/lti/launch`,
    jwksUrl: `${publicUrl}/lti/keys`
  })
  for (const user of DEMO_USERS) simulator.addUser(user)
  simulator.addCourse(DEMO_COURSE)

  const existing = await app.platformRegistry.list()
  if (!existing.some((p) => p.issuer === simulator.issuer && p.clientId === DEMO_CLIENT_ID)) {
    await app.platformRegistry.add({
      issuer: simulator.issuer,
      clientId: DEMO_CLIENT_ID,
      name: `Mentorlink LMS simulator (demo, ${simulator.profile})`,
      authEndpoint: simulator.endpoints.auth,
      tokenEndpoint: simulator.endpoints.token,
      jwksUrl: simulator.endpoints.jwks,
      deploymentIds: [DEMO_DEPLOYMENT_ID]
    })
  }
  const launchUrls = DEMO_COURSE.members.map((m) => {
    const user = DEMO_USERS.find((u) => u.id === m.userId)
    const url = new URL('/launch', simulator.url)
    url.search = new URLSearchParams({ client_id: DEMO_CLIENT_ID, deployment_id: DEMO_DEPLOYMENT_ID, course: DEMO_COURSE.id, user: m.userId }).toString()
    return { who: user?.name ?? m.userId, role: m.roles.join(', '), url: url.toString() }
  })
  return { simulator, launchUrls }
}
