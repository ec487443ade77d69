import { startSimulator } from '@mentorlink/simulator'
import type { StartDemo } from '../demo-loader'
import { DEMO_CLIENT_ID, DEMO_COURSE, DEMO_DEPLOYMENT_ID, DEMO_USERS } from './demo-course'
import { describeDemoSeed, seedDemoCourse } from './demo-seed'

/**
 * Runs the bundled LMS simulator beside the app, registers it as a platform and seeds a demo course, so a
 * newcomer can launch as each role with no configuration. The server loads this module only when the demo is on.
 * Once the app listens, `seed` fills Mentorlink's side of the course (DEMO_STATE, demo-seed.ts).
 */
export const startDemo: StartDemo = async (services) => {
  const { config, platformRegistry } = services
  const publicUrl = config.publicUrl
  const simulator = await startSimulator({ host: '127.0.0.1', port: config.simulatorPort, profile: config.simulatorProfile })
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

  const existing = await platformRegistry.list()
  if (!existing.some((p) => p.issuer === simulator.issuer && p.clientId === DEMO_CLIENT_ID)) {
    await platformRegistry.add({
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
  const lines = launchUrls.map((l) => `  ${l.role.padEnd(11)} ${l.who.padEnd(18)} ${l.url}`)
  const inbox = config.email.enabled && config.email.inboxUrl !== undefined ? `\nEvery email the demo sends lands in a local mail server: list them at ${config.email.inboxUrl}/api/v1/messages and read one at ${config.email.inboxUrl}/view/<ID>.html\n` : ''
  return {
    seed: async () => {
      const outcome = await seedDemoCourse(services, simulator)
      return describeDemoSeed(outcome, config.mongodbUri === undefined ? config.dataDir : undefined)
    },
    banner: (state) =>
      `\nMentorlink demo is running at ${publicUrl}\nLMS simulator: ${simulator.url}\n${state}\nOpen one of these to launch Mentorlink from the demo course:\n${lines.join('\n')}\n${inbox}\n`,
    close: simulator.close
  }
}
