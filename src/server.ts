import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig, type Config } from './config'
import { DemoUnavailableError, loadDemo } from './demo-loader'
import { startMentorlink } from './mentorlink'

function configOrExit (): Config {
  try {
    return loadConfig(process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`Mentorlink cannot start. ${err.message}\nSee .env.example for every variable.\n`)
    process.exit(1)
  }
}

async function main (): Promise<void> {
  const config = configOrExit()
  const startDemo = config.demo ? await loadDemo() : undefined
  const { app, services } = await startMentorlink(config)
  const closeAfterApp: Array<() => Promise<void>> = []
  if (startDemo) {
    const demo = await startDemo(services)
    closeAfterApp.push(demo.close)
    await app.listen({ host: config.host, port: config.port })
    const state = await demo.seed().catch((err: unknown) => {
      app.log.error({ err }, 'the demo course could not be seeded')
      return 'The demo course could not be seeded: see the error above.'
    })
    process.stdout.write(demo.banner(state))
  } else {
    await app.listen({ host: config.host, port: config.port })
  }
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
    for (const close of closeAfterApp) await close()
  })
}

main().catch((err: unknown) => {
  if (err instanceof DemoUnavailableError) {
    process.stderr.write(`Mentorlink cannot start: ${err.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`Mentorlink failed to start: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
