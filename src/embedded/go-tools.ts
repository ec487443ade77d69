import { execFile, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'

/**
 * What the embedded servers of development and tests share (FerretDB in persistence/ferretdb.ts, Mailpit in
 * notifications/mailpit.ts): a Go tool built once into the project-local cache, a free loopback port, waiting for
 * the child process to listen, and stopping it.
 */

export type Say = (message: string) => void

export interface GoTool {
  /** How the messages name it, e.g. `Mailpit v1.33.1`. */
  label: string
  /** The binary `go install` writes into `<cacheDir>/bin`. */
  binary: string
  /** What follows `go install`: a package path with its version, or `.` with `cwd`. */
  target: string
  cwd?: string
  /** What the first build costs, for the message shown before it starts, e.g. `about a minute`. */
  firstBuild: string
  /** The Go release it needs, for the message shown when the build fails. */
  goVersion: string
}

/** Builds the tool once into `<cacheDir>/bin` with `go install`; later calls return the binary already there. */
export async function ensureGoBinary (cacheDir: string, tool: GoTool, say: Say): Promise<string> {
  const binDir = path.resolve(cacheDir, 'bin')
  const binary = path.join(binDir, tool.binary)
  if (existsSync(binary)) return binary
  mkdirSync(binDir, { recursive: true })
  say(`Building ${tool.label} into ${binDir} with "go install"; the first build takes ${tool.firstBuild}…`)
  const started = Date.now()
  try {
    await promisify(execFile)('go', ['install', tool.target], {
      cwd: tool.cwd,
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024
    })
  } catch (err) {
    const where = tool.cwd === undefined ? '' : ` in ${tool.cwd}`
    throw new Error(`Could not build ${tool.label} with "go install ${tool.target}"${where} (is Go ${tool.goVersion}+ installed?): ${(err as Error).message}`)
  }
  say(`${tool.label} built in ${((Date.now() - started) / 1000).toFixed(0)} s`)
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

const accepts = async (port: number): Promise<boolean> => await new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1')
  socket.once('connect', () => { socket.destroy(); resolve(true) })
  socket.once('error', () => resolve(false))
})

/** Resolves once every port accepts connections on loopback; fails if `child` (called `label`) exits first or time runs out. */
export async function waitForPorts (label: string, ports: number[], child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const waiting = new Set(ports)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode}`)
    for (const port of [...waiting]) if (await accepts(port)) waiting.delete(port)
    if (waiting.size === 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${label} did not listen on port ${[...waiting].join(', ')} within ${timeoutMs} ms`)
}

/** Stops a child process with SIGTERM and resolves once it has exited. */
export async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
