import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { ensureGoBinary, freePort, stopChild, waitForPorts, type Say } from '../embedded/go-tools'

/**
 * Mailpit (github.com/axllent/mailpit, MIT): an SMTP server that keeps every message it receives, with a web inbox
 * and a REST API. Development (`npm start`) and the tests send their email to it when no SMTP_URL is set.
 */
export const MAILPIT_VERSION = 'v1.33.1'

/** Builds Mailpit once into the project-local cache with the Go toolchain; later calls reuse the binary. */
export async function ensureMailpitBinary (cacheDir: string, say: Say): Promise<string> {
  return await ensureGoBinary(cacheDir, {
    label: `Mailpit ${MAILPIT_VERSION}`,
    binary: 'mailpit',
    target: `github.com/axllent/mailpit@${MAILPIT_VERSION}`,
    firstBuild: 'about a minute',
    goVersion: '1.26'
  }, say)
}

export interface MailpitOptions {
  /** A SQLite file that keeps the mail across restarts; without it Mailpit keeps it only while it runs. */
  database?: string
  /** The web inbox's port (default: a free one). */
  webPort?: number
  /** How many messages it keeps before dropping the oldest (Mailpit's default: 500; 0 = no limit). */
  maxMessages?: number
  /** More Mailpit flags, e.g. `--smtp-allowed-recipients` or `--enable-chaos` for tests of refusals. */
  extraArgs?: string[]
}

export interface RunningMailpit {
  /** Where to send: `smtp://127.0.0.1:<port>` (no TLS, any or no credentials accepted). */
  smtpUrl: string
  /** The web inbox. */
  webUrl: string
  /** The REST API: `<webUrl>/api/v1`. */
  apiUrl: string
  stop: () => Promise<void>
}

/** Runs Mailpit on loopback (SMTP and the web inbox on free ports unless told) until `stop`. */
export async function runMailpit (binary: string, options: MailpitOptions = {}): Promise<RunningMailpit> {
  const smtpPort = await freePort()
  const webPort = options.webPort ?? await freePort()
  const args = [
    '--smtp', `127.0.0.1:${smtpPort}`,
    '--listen', `127.0.0.1:${webPort}`,
    // Loopback only, no TLS: let a client that sends credentials (an SMTP_URL with user:password) in.
    '--smtp-auth-accept-any', '--smtp-auth-allow-insecure',
    '--smtp-disable-rdns', '--disable-version-check', '--quiet'
  ]
  if (options.database !== undefined) {
    mkdirSync(path.dirname(path.resolve(options.database)), { recursive: true })
    args.push('--database', path.resolve(options.database))
  }
  if (options.maxMessages !== undefined) args.push('--max', String(options.maxMessages))
  args.push(...(options.extraArgs ?? []))
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] })
  // A process that exits without stopping it (process.exit after a failed start) takes it along.
  const killOnExit = (): void => { child.kill('SIGTERM') }
  process.once('exit', killOnExit)
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit)
    await stopChild(child)
  }
  try {
    await waitForPorts('Mailpit', [smtpPort, webPort], child, 20_000)
  } catch (err) {
    await stop()
    throw err
  }
  const webUrl = `http://127.0.0.1:${webPort}`
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, webUrl, apiUrl: `${webUrl}/api/v1`, stop }
}
