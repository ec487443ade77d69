import closeWithGrace from 'close-with-grace'
import { buildApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { startDemo } from './demo/start-demo'

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
  const app = await buildApp(config)
  const closeAfterApp: Array<() => Promise<void>> = []
  if (config.demo) {
    const demo = await startDemo(app, config.simulatorPort)
    closeAfterApp.push(demo.simulator.close)
    await app.listen({ host: config.host, port: config.port })
    const lines = demo.launchUrls.map((l) => `  ${l.role.padEnd(11)} ${l.who.padEnd(18)} ${l.url}`)
    process.stdout.write(`\nMentorlink demo is running at ${config.publicUrl}\nLMS simulator: ${demo.simulator.url}\nOpen one of these to launch Mentorlink from the demo course:\n${lines.join('\n')}\n\n`)
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
  process.stderr.write(`Mentorlink failed to start: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
