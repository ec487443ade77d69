import type { FastifyInstance } from 'fastify'
import { buildApp } from './app'
import type { Config } from './config'
import { buildServices, connectInfrastructure, type Services } from './services'
import { startWorkers } from './workers'

export interface Mentorlink {
  app: FastifyInstance
  services: Services
}

/**
 * One app process: the infrastructure, the services, the HTTP app and its background workers. Closing the app
 * stops the workers, waits for background work and closes the connections, in that order. The app is not yet
 * ready: `listen` loads it.
 */
export async function startMentorlink (config: Config): Promise<Mentorlink> {
  const infra = await connectInfrastructure(config)
  let services: Services | undefined
  try {
    services = buildServices(infra)
    const app = await buildApp(services)
    const workers = startWorkers(services)
    const started = services
    app.addHook('onClose', async () => {
      await workers.stop()
      await started.close()
    })
    return { app, services }
  } catch (err) {
    await (services?.close() ?? infra.close())
    throw err
  }
}
