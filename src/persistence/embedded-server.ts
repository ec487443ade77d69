import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { FERRETDB_VERSION, ensureFerretDbBinary, runFerretDb } from './ferretdb'

export interface EmbeddedServer {
  kind: 'mongodb' | 'ferretdb'
  /** Connection string without a database name, e.g. mongodb://127.0.0.1:27017 */
  uri: string
  /** Stops the server if this process started it; a joined server is left running for its owner. */
  stop: () => Promise<void>
  /** True when another process of this project had already started it on the same data folder. */
  joined: boolean
}

export interface EmbeddedServerOptions {
  dataDir: string
  cacheDir?: string
  /** 'auto' tries MongoDB first, then FerretDB. */
  preferred?: 'auto' | 'mongodb' | 'ferretdb'
  say?: (message: string) => void
}

const DOWNLOAD_FAILED_MARKER = 'mongodb-download-failed'

/** A path as a newcomer would type it: ./data inside the project, absolute elsewhere. */
function shown (dir: string): string {
  const relative = path.relative(process.cwd(), dir)
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : `./${relative}`
}

/** The useful part of a failed download: mongodb-memory-server's DownloadError keeps it in `msg`. */
function downloadReason (err: unknown): string {
  const msg = (err as { msg?: unknown }).msg
  if (typeof msg === 'string' && msg !== '') return msg
  const lines = String((err as Error).message ?? err).split('\n').map((l) => l.trim()).filter((l) => l !== '')
  return lines[lines.length - 1] ?? 'unknown error'
}

async function tryMongoMemoryServer (dataDir: string, cacheDir: string, say: (m: string) => void): Promise<EmbeddedServer | undefined> {
  const marker = path.join(cacheDir, DOWNLOAD_FAILED_MARKER)
  if (existsSync(marker)) return undefined
  // A development package: a production install (npm ci --omit=dev) has none, and falls back to FerretDB.
  const loaded = await import('mongodb-memory-server').catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' && (err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err
    say('mongodb-memory-server is not installed (a production install leaves development packages out): using FerretDB. In production, set MONGODB_URI.')
    return undefined
  })
  if (!loaded) return undefined
  const { MongoBinary, MongoMemoryServer } = loaded
  // Find or download the binaries first: a failed download here is the expected case on a machine without
  // access to MongoDB's download site, and MongoBinary.getPath reports it by throwing alone, whereas
  // MongoMemoryServer.create would also print the whole error with its stack trace to the console.
  try {
    await MongoBinary.getPath()
  } catch (err) {
    say(`MongoDB could not be downloaded (${downloadReason(err)}); using FerretDB instead. Later starts skip the download (delete ${shown(marker)} to try again).`)
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(marker, new Date().toISOString())
    return undefined
  }
  const dbPath = path.resolve(dataDir, 'mongodb')
  mkdirSync(dbPath, { recursive: true })
  say(`Starting the embedded database (MongoDB) in ${shown(dbPath)} …`)
  try {
    const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } })
    return { kind: 'mongodb', uri: server.getUri().replace(/\/$/, ''), joined: false, stop: async () => { await server.stop({ doCleanup: false }) } }
  } catch (err) {
    // Not expected: the binaries are there but did not start. mongodb-memory-server has printed the error above.
    say(`MongoDB did not start (${(err as Error).message.split('\n')[0]}); using FerretDB instead. Later starts skip MongoDB (delete ${shown(marker)} to try again).`)
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(marker, new Date().toISOString())
    return undefined
  }
}

/** Where a running embedded server announces itself, so the CLI or a second process joins it instead of starting another on the same files. */
const ANNOUNCEMENT = 'embedded-server.json'

interface Announcement { kind: EmbeddedServer['kind'], uri: string, pid: number }

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const answers = async (uri: string): Promise<boolean> => {
  const { hostname, port } = new URL(uri)
  return await new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname)
    socket.setTimeout(2000, () => { socket.destroy(); resolve(false) })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

async function announcedServer (file: string): Promise<EmbeddedServer | undefined> {
  if (!existsSync(file)) return undefined
  let announced: Announcement
  try {
    announced = JSON.parse(readFileSync(file, 'utf8')) as Announcement
  } catch {
    return undefined
  }
  if (!isAlive(announced.pid) || !(await answers(announced.uri))) return undefined
  return { kind: announced.kind, uri: announced.uri, joined: true, stop: async () => {} }
}

async function startOwnServer (options: EmbeddedServerOptions, say: (m: string) => void): Promise<EmbeddedServer> {
  const cacheDir = path.resolve(options.cacheDir ?? '.cache')
  const preferred = options.preferred ?? 'auto'
  if (preferred !== 'ferretdb') {
    const mongo = await tryMongoMemoryServer(options.dataDir, cacheDir, say)
    if (mongo) return mongo
  }
  const binary = await ensureFerretDbBinary(cacheDir, say)
  const ferretDir = path.resolve(options.dataDir, 'ferretdb')
  say(`Starting the embedded database (FerretDB ${FERRETDB_VERSION} on SQLite) in ${shown(ferretDir)} …`)
  const ferret = await runFerretDb(binary, ferretDir)
  return { kind: 'ferretdb', uri: `mongodb://127.0.0.1:${ferret.port}`, joined: false, stop: ferret.stop }
}

/**
 * Starts a local MongoDB-compatible server for development and tests when no MONGODB_URI is given:
 * real MongoDB where its binaries can be downloaded, otherwise FerretDB with SQLite. Data lives in dataDir.
 * If another process (the app, while the CLI runs) already serves that data folder, it is joined instead.
 */
export async function startEmbeddedServer (options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const say = options.say ?? ((m: string) => process.stderr.write(`${m}\n`))
  const file = path.resolve(options.dataDir, ANNOUNCEMENT)
  const running = await announcedServer(file)
  if (running) {
    say(`Using the embedded database already running for ${shown(path.resolve(options.dataDir))} (${running.uri}).`)
    return running
  }
  const server = await startOwnServer(options, say)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify({ kind: server.kind, uri: server.uri, pid: process.pid } satisfies Announcement))
  say('Database ready.')
  return {
    ...server,
    stop: async () => {
      rmSync(file, { force: true })
      await server.stop()
    }
  }
}
