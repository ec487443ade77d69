import { Readable } from 'node:stream'
import MailComposer from 'nodemailer/lib/mail-composer'
import { parseConnectionUrl } from 'nodemailer/lib/shared'
import SMTPConnection from 'nodemailer/lib/smtp-connection'
import { createLimiter } from '../domain/limiter'
import { AlreadySent, PermanentMailError, TransientMailError, type MailAddress, type MailDeliveryError, type MailMessage, type MailSender } from '../domain/notifications/ports'

export interface SmtpSenderOptions {
  /** `smtp://[user:password@]host:port` or `smtps://…` (TLS from the start); nodemailer's URL options apply. */
  smtpUrl: string
  from: MailAddress
  /** Connections open at once, each sending one email at a time (default 5). */
  maxConnections?: number
  /** Connecting, the greeting and each command each get this long (default 15 s). */
  timeoutMs?: number
}

const MESSAGE_ID = /^[A-Za-z0-9._-]+$/

/** The `Message-ID` (without its angle brackets) an email sent from `from` with this id carries: `<id>@<from's domain>`. */
export function messageIdOf (messageId: string, from: MailAddress): string {
  return `${messageId}@${from.address.slice(from.address.lastIndexOf('@') + 1)}`
}

/** How nodemailer reports a failure: `code` (EENVELOPE, EMESSAGE, EAUTH, ECONNECTION, ETIMEDOUT, ESOCKET, …) and the server's reply. */
interface NodemailerError extends Error { code?: string, responseCode?: number, response?: string }

/**
 * SMTP 5xx is permanent and 4xx transient; so is anything before the server answered (no connection, a timeout, TLS).
 * Two exceptions: refused credentials (535) are the server's configuration, not this email's fault, so transient;
 * a message nodemailer cannot compose or address (no reply code) will never go, so permanent.
 */
function deliveryError (err: unknown): MailDeliveryError {
  const e = err as NodemailerError
  const what = e.response ?? e.message
  if (e.code === 'EAUTH') return new TransientMailError(`the SMTP server refused the credentials: ${what}`, e.responseCode)
  if (typeof e.responseCode === 'number') {
    return e.responseCode >= 500 ? new PermanentMailError(what, e.responseCode) : new TransientMailError(what, e.responseCode)
  }
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return new PermanentMailError(what)
  return new TransientMailError(`${e.code ?? 'error'}: ${e.message}`)
}

/**
 * The composed message as a stream that ends only once `commit` answers true: until then the server holds an
 * unfinished message, which it discards if the connection drops.
 */
function endingAfterCommit (composed: Buffer, messageId: string, commit: () => Promise<boolean>): Readable {
  let written = false
  return new Readable({
    read () {
      if (!written) {
        written = true
        this.push(composed)
        return
      }
      commit().then((go) => { if (go) this.push(null); else this.destroy(new AlreadySent(messageId)) }, (err: Error) => { this.destroy(err) })
    }
  })
}

/**
 * Open SMTP connections (nodemailer's SMTPConnection), each sending one message at a time and kept for the next.
 * nodemailer's own pool reads a message stream ahead of the SMTP dialogue, so a commit held in the stream would be
 * written before the server even took the recipient; over a connection of our own the stream is read only once the
 * server asked for the data, and the commit falls just before the message's end.
 */
function createConnections (smtpUrl: string, timeoutMs: number) {
  const { auth, ...url } = parseConnectionUrl(smtpUrl)
  const idle: SMTPConnection[] = []
  const broken = new WeakSet<SMTPConnection>()
  const open = async (): Promise<SMTPConnection> => await new Promise((resolve, reject) => {
    const connection = new SMTPConnection({ ...url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs })
    let settled = false
    const drop = (): void => { broken.add(connection); const at = idle.indexOf(connection); if (at >= 0) idle.splice(at, 1) }
    // An idle connection the server closed (or that timed out) is dropped; one that never opened fails its send.
    connection.on('error', (err: Error) => { drop(); if (!settled) { settled = true; reject(err) } })
    connection.on('end', drop)
    connection.connect(() => {
      if (auth === undefined) { settled = true; resolve(connection); return }
      connection.login(auth, (err) => { settled = true; if (err) { drop(); connection.close(); reject(err) } else resolve(connection) })
    })
  })
  return {
    send: async (envelope: { from: string, to: string[] }, message: Readable): Promise<{ rejected?: unknown[] }> => {
      let connection = idle.pop()
      while (connection !== undefined && broken.has(connection)) connection = idle.pop()
      connection ??= await open()
      const used = connection
      try {
        const info = await new Promise<{ rejected?: unknown[] }>((resolve, reject) => { used.send(envelope, message, (err, sent) => { if (err) reject(err); else resolve(sent as { rejected?: unknown[] }) }) })
        if (!broken.has(used)) idle.push(used)
        return info
      } catch (err) {
        // After a failed send the dialogue may be anywhere: start the next one on a fresh connection.
        broken.add(used)
        used.close()
        throw err
      }
    },
    close: (): void => { for (const connection of idle.splice(0)) connection.quit() }
  }
}

/** Sends through an SMTP server over connections kept open between emails. */
export function createSmtpSender (options: SmtpSenderOptions): MailSender {
  const connections = createConnections(options.smtpUrl, options.timeoutMs ?? 15_000)
  const limit = createLimiter(options.maxConnections ?? 5)
  return {
    async send (message: MailMessage, commit?: () => Promise<boolean>) {
      if (!MESSAGE_ID.test(message.messageId)) throw new PermanentMailError(`not a message id: ${JSON.stringify(message.messageId)}`)
      const mail = {
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
          contentType: a.contentType
        })),
        messageId: `<${messageIdOf(message.messageId, options.from)}>`
      }
      let info: { rejected?: unknown[] }
      try {
        const composed = await new MailComposer(mail).compile().build()
        info = await limit(async () => await connections.send({ from: options.from.address, to: [message.to] }, endingAfterCommit(composed, message.messageId, commit ?? (async () => true))))
      } catch (err) {
        // nodemailer passes the stream's own error on (with its code set to ESTREAM).
        if (err instanceof AlreadySent) throw err
        throw deliveryError(err)
      }
      // One address: nodemailer throws when it is refused; a list that is partly refused is refused here.
      if ((info.rejected?.length ?? 0) > 0) throw new PermanentMailError(`recipient refused: ${info.rejected?.join(', ')}`)
    },
    async close () {
      connections.close()
    }
  }
}
