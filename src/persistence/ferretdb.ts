import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'

/** A small wrapper around FerretDB v1.24.2's embeddable package (see tools/ferretdb-server/main.go for why). */
const WRAPPER_DIR = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'tools', 'ferretdb-server')

type Say = (message: string) => void

/** The FerretDB release tools/ferretdb-server builds (its go.mod pins it). */
export const FERRETDB_VERSION = 'v1.24.2'

/** Builds FerretDB once into the project-local cache with the Go toolchain; later calls reuse the binary. */
export async function ensureFerretDbBinary (cacheDir: string, say: Say): Promise<string> {
  const binDir = path.resolve(cacheDir, 'bin')
  const binary = path.join(binDir, 'ferretdb-server')
  if (existsSync(binary)) return binary
  mkdirSync(binDir, { recursive: true })
  say(`Building FerretDB ${FERRETDB_VERSION} (SQLite backend) into ${binDir} with "go install"; the first build takes a few minutes…`)
  const started = Date.now()
  try {
    await promisify(execFile)('go', ['install', '.'], {
      cwd: WRAPPER_DIR,
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024
    })
  } catch (err) {
    throw new Error(`Could not build FerretDB with "go install" in ${WRAPPER_DIR} (is Go 1.23+ installed?): ${(err as Error).message}`)
  }
  say(`FerretDB built in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return binary
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort (port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => { socket.destroy(); resolve(true) })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`FerretDB did not listen on port ${port} within ${timeoutMs} ms`)
}

export interface RunningFerretDb { port: number, stop: () => Promise<void> }

/** Runs FerretDB with its SQLite backend on loopback, keeping its files in dataDir (on `listenPort` to restart one). */
export async function runFerretDb (binary: string, dataDir: string, listenPort?: number): Promise<RunningFerretDb> {
  const sqliteDir = path.resolve(dataDir, 'sqlite')
  mkdirSync(sqliteDir, { recursive: true })
  const port = listenPort ?? await freePort()
  const child = spawn(binary, [`-listen-addr=127.0.0.1:${port}`, `-sqlite-url=file:${sqliteDir}/`], { stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForPort(port, child, 20_000)
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
    }
  }
}
