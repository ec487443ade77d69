/**
 * A grade worker on its own: `node --import tsx src/jobs/grade-worker-main.ts` (or dist/src/jobs/grade-worker-main.js)
 * with the app's MONGODB_URI and LTI_ENCRYPTION_KEY. Sends the outbox the app fills; run the app with
 * GRADE_WORKER=false to leave sending to such processes. Any number may run: claims keep them apart.
 */
import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig } from '../config'
import { buildGradeSending, connectInfrastructure } from '../services'

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  if (!config.mongodbUri) throw new ConfigError(['MONGODB_URI: is required: the worker sends the outbox of the app\'s database'])
  const infra = await connectInfrastructure(config)
  const { worker } = buildGradeSending(infra)
  worker.start()
  infra.log.info({ concurrency: config.grades.concurrency }, 'grade worker started')
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) infra.log.error({ err }, 'grade worker stopping after an error')
    else infra.log.info({ signal }, 'grade worker stopping')
    await worker.stop()
    await infra.close()
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`The grade worker failed to start: ${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
