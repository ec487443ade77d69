import path from 'node:path'
import type { Config } from '../config'
import type { Say } from '../embedded/go-tools'
import { ensureMailpitBinary, runMailpit, type RunningMailpit } from './mailpit'

export interface EmailSetup {
  /** The configuration with `email.smtpUrl` (and `email.inboxUrl`) filled in when Mailpit was started. */
  config: Config
  /** Stops Mailpit if it was started here. */
  stop: () => Promise<void>
}

/**
 * When the configuration asks for the embedded mail server (no SMTP_URL outside production), builds Mailpit once and
 * runs it, keeping its mail in `DATA_DIR/mailpit` so the demo's inbox survives a restart. Otherwise changes nothing.
 * If Mailpit cannot be built or started (no Go), the process runs on with email off (`disabledReason` says why).
 */
export async function startEmbeddedMail (config: Config, say: Say, cacheDir = '.cache'): Promise<EmailSetup> {
  const email = config.email
  if (!email.enabled || !email.embedded || email.smtpUrl !== undefined) return { config, stop: async () => {} }
  let mailpit: RunningMailpit
  try {
    const binary = await ensureMailpitBinary(path.resolve(cacheDir), say)
    mailpit = await runMailpit(binary, { database: path.resolve(config.dataDir, 'mailpit', 'mailpit.db') })
  } catch (err) {
    const disabledReason = `the local mail server (Mailpit) did not start: ${(err as Error).message.split('\n')[0]}. Set SMTP_URL to send through another server.`
    return { config: { ...config, email: { enabled: false, embedded: false, disabledReason } }, stop: async () => {} }
  }
  // A `go install` build lacks the web inbox's scripts (its page stays blank); the API and the message views work.
  say(`Mail server (Mailpit) ready: every email goes there; list them at ${mailpit.apiUrl}/messages`)
  return { config: { ...config, email: { ...email, smtpUrl: mailpit.smtpUrl, inboxUrl: mailpit.webUrl } }, stop: mailpit.stop }
}
