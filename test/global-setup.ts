import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config'
import { startEmbeddedServer, type EmbeddedServer } from '../src/persistence/embedded-server'

declare global { var __MENTORLINK_DB__: EmbeddedServer | undefined }

/** One real MongoDB-compatible server for the whole run; each test file uses its own database on it. */
export default async function globalSetup (): Promise<void> {
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
