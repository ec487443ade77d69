/**
 * A mail sender on its own: `node --import tsx src/jobs/mail-worker-main.ts` (or dist/src/jobs/mail-worker-main.js)
 * with the app's MONGODB_URI, SMTP_URL and MAIL_FROM. Sends the outbox the app fills, beside the app's own sender:
 * any number may run, lane claims keep them apart.
 */
import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig } from '../config'
import { connectDatabase } from '../persistence/database'
import { buildMailSending, createLog } from '../services'

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  if (!config.mongodbUri) throw new ConfigError(['MONGODB_URI: is required: the sender sends the outbox of the app\'s database'])
  if (!config.email.enabled || config.email.smtpUrl === undefined) throw new ConfigError(['SMTP_URL: is required: the server the sender sends through'])
  const log = createLog(config)
  const db = await connectDatabase(config.mongodbUri)
  const { worker } = buildMailSending({ config, log, db })
  worker?.start()
  log.info({ concurrency: config.mail.concurrency }, 'mail sender started')
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) log.error({ err }, 'mail sender stopping after an error')
    else log.info({ signal }, 'mail sender stopping')
    await worker?.stop()
    await db.close()
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`The mail sender failed to start: ${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
