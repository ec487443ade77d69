import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../src/config'
import { startEmbeddedServer } from '../src/persistence/embedded-server'
import { freePort } from '../src/persistence/ferretdb'
import { NO_RATE_LIMITS, startTestAppWith } from '../test/helpers/test-app'
export { watchCommands } from '../test/helpers/database-commands'

export const say = (line: string): void => { process.stdout.write(`${line}\n`) }

export const machineLine = (): string =>
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`

/**
 * Runs `measure` against a whole app process as production configures it (templates cached), on a fresh embedded
 * database (or `MONGODB_URI`'s server, database `database`), and stops both afterwards, also on failure.
 */
export async function withBenchApp (database: string, measure: (app: FastifyInstance, databaseKind: string) => Promise<void>): Promise<void> {
  const db = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'mentorlink-bench-')) })
  const port = await freePort()
  const app = await startTestAppWith(loadConfig({
    NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn',
    MONGODB_URI: process.env.MONGODB_URI ?? `${db?.uri ?? ''}/${database}`,
    LTI_ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef0123', SESSION_SECRET: 'bench-session-secret-0123456789abcdef01', LTI_TOOL_KEY_BITS: '2048',
    ...NO_RATE_LIMITS // one client makes every request
  }))
  try {
    await measure(app, db?.kind ?? 'MONGODB_URI')
  } finally {
    await app.close()
    await db?.stop()
  }
}

export function runBench (main: () => Promise<void>): void {
  main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).stack ?? err)}\n`); process.exitCode = 1 })
}
