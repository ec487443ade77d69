import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config'
import { ensureMailpitBinary, runMailpit, type RunningMailpit } from '../src/notifications/mailpit'
import { startEmbeddedServer, type EmbeddedServer } from '../src/persistence/embedded-server'

declare global {
  var __MENTORLINK_DB__: EmbeddedServer | undefined
  var __MENTORLINK_MAILPIT__: RunningMailpit | undefined
}

/** One real MongoDB-compatible server for the whole run; each test file uses its own database on it. */
async function startDatabase (): Promise<void> {
  if (process.env.MONGODB_URI) {
    const base = new URL(process.env.MONGODB_URI)
    base.pathname = ''
    process.env.TEST_MONGODB_BASE = base.toString().replace(/\/$/, '')
    return
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mentorlink-test-db-'))
  const preferred = loadConfig({ EMBEDDED_DB: process.env.EMBEDDED_DB }).embeddedDb
  const server = await startEmbeddedServer({ dataDir, preferred, say: (m) => process.stderr.write(`\n[test db] ${m}\n`) })
  globalThis.__MENTORLINK_DB__ = server
  process.env.TEST_MONGODB_BASE = server.uri
}

/**
 * One real mail server (Mailpit, in memory, no message cap) for the whole run: TEST_SMTP_URL to send to,
 * TEST_MAILPIT_API to read what arrived (test/helpers/mailpit.ts). Tests tell their mail apart by recipient.
 */
async function startMailServer (): Promise<void> {
  const binary = await ensureMailpitBinary(path.resolve(__dirname, '..', '.cache'), (m) => process.stderr.write(`\n[test mail] ${m}\n`))
  const mailpit = await runMailpit(binary, { maxMessages: 0 })
  globalThis.__MENTORLINK_MAILPIT__ = mailpit
  process.env.TEST_SMTP_URL = mailpit.smtpUrl
  process.env.TEST_MAILPIT_API = mailpit.apiUrl
}

export default async function globalSetup (): Promise<void> {
  const started = await Promise.allSettled([startDatabase(), startMailServer()])
  const failed = started.find((s) => s.status === 'rejected')
  if (failed === undefined) return
  await Promise.all([globalThis.__MENTORLINK_DB__?.stop(), globalThis.__MENTORLINK_MAILPIT__?.stop()])
  throw failed.reason
}
