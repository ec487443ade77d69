import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { ensureGoBinary, freePort, stopChild, waitForPorts, type Say } from '../embedded/go-tools'

export { freePort }

/** A small wrapper around FerretDB v1.24.2's embeddable package (see tools/ferretdb-server/main.go for why). */
const WRAPPER_DIR = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'tools', 'ferretdb-server')

/** The FerretDB release tools/ferretdb-server builds (its go.mod pins it). */
export const FERRETDB_VERSION = 'v1.24.2'

/** Builds FerretDB once into the project-local cache with the Go toolchain; later calls reuse the binary. */
export async function ensureFerretDbBinary (cacheDir: string, say: Say): Promise<string> {
  return await ensureGoBinary(cacheDir, {
    label: `FerretDB ${FERRETDB_VERSION} (SQLite backend)`,
    binary: 'ferretdb-server',
    target: '.',
    cwd: WRAPPER_DIR,
    firstBuild: 'a few minutes',
    goVersion: '1.23'
  }, say)
}

export interface RunningFerretDb { port: number, stop: () => Promise<void> }

/** Runs FerretDB with its SQLite backend on loopback, keeping its files in dataDir (on `listenPort` to restart one). */
export async function runFerretDb (binary: string, dataDir: string, listenPort?: number): Promise<RunningFerretDb> {
  const sqliteDir = path.resolve(dataDir, 'sqlite')
  mkdirSync(sqliteDir, { recursive: true })
  const port = listenPort ?? await freePort()
  const child = spawn(binary, [`-listen-addr=127.0.0.1:${port}`, `-sqlite-url=file:${sqliteDir}/`], { stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForPorts('FerretDB', [port], child, 20_000)
  return { port, stop: async () => { await stopChild(child) } }
}
