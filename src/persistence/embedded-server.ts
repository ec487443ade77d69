import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ensureFerretDbBinary, runFerretDb } from './ferretdb'

export interface EmbeddedServer {
  kind: 'mongodb' | 'ferretdb'
  /** Connection string without a database name, e.g. mongodb://127.0.0.1:27017 */
  uri: string
  stop: () => Promise<void>
}

export interface EmbeddedServerOptions {
  dataDir: string
  cacheDir?: string
  say?: (message: string) => void
}

const DOWNLOAD_FAILED_MARKER = 'mongodb-download-failed'

async function tryMongoMemoryServer (dataDir: string, cacheDir: string, say: (m: string) => void): Promise<EmbeddedServer | undefined> {
  const marker = path.join(cacheDir, DOWNLOAD_FAILED_MARKER)
  if (existsSync(marker)) return undefined
  const dbPath = path.resolve(dataDir, 'mongodb')
  mkdirSync(dbPath, { recursive: true })
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server')
    const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } })
    return { kind: 'mongodb', uri: server.getUri().replace(/\/$/, ''), stop: async () => { await server.stop({ doCleanup: false }) } }
  } catch (err) {
    say(`MongoDB binaries are not available here (${(err as Error).message.split('\n')[0]}); using FerretDB instead.`)
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(marker, new Date().toISOString())
    return undefined
  }
}

/**
 * Starts a local MongoDB-compatible server for development and tests when no MONGODB_URI is given:
 * real MongoDB where its binaries can be downloaded, otherwise FerretDB with SQLite. Data lives in dataDir.
 */
export async function startEmbeddedServer (options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const say = options.say ?? ((m: string) => process.stderr.write(`${m}\n`))
  const cacheDir = path.resolve(options.cacheDir ?? '.cache')
  const preferred = process.env.EMBEDDED_DB ?? 'auto'
  if (preferred !== 'ferretdb') {
    const mongo = await tryMongoMemoryServer(options.dataDir, cacheDir, say)
    if (mongo) return mongo
  }
  const binary = await ensureFerretDbBinary(cacheDir, say)
  const ferret = await runFerretDb(binary, path.resolve(options.dataDir, 'ferretdb'))
  return { kind: 'ferretdb', uri: `mongodb://127.0.0.1:${ferret.port}`, stop: ferret.stop }
}
