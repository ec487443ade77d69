import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig, type Config } from './config'
import { DemoUnavailableError, loadDemo } from './demo-loader'
import { startMentorlink } from './mentorlink'
import { startEmbeddedMail } from './notifications/embedded-mail'

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
  const loaded = configOrExit()
  const startDemo = loaded.demo ? await loadDemo() : undefined
  // No SMTP_URL outside production: Mailpit receives the mail, and config.email.inboxUrl says where to read it.
  const mail = await startEmbeddedMail(loaded, (m) => process.stderr.write(`${m}\n`))
  const config = mail.config
  const { app, services } = await startMentorlink(config)
  if (!config.email.enabled) app.log.warn(`Email is off: ${config.email.disabledReason}`)
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
    await mail.stop()
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
