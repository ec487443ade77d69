import { Readable } from 'node:stream'
import nodemailer from 'nodemailer'
import MailComposer from 'nodemailer/lib/mail-composer'
import { AlreadySent, PermanentMailError, TransientMailError, type MailAddress, type MailDeliveryError, type MailMessage, type MailSender } from '../domain/notifications/ports'

export interface SmtpSenderOptions {
  /** `smtp://[user:password@]host:port` or `smtps://…` (TLS from the start); nodemailer's URL options apply. */
  smtpUrl: string
  from: MailAddress
  /** Connections the pool keeps open at once (default 5). */
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

/** Sends through an SMTP server with a pool of connections (nodemailer). */
export function createSmtpSender (options: SmtpSenderOptions): MailSender {
  const timeout = options.timeoutMs ?? 15_000
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout
  })
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
        info = commit === undefined
          ? await transport.sendMail(mail)
          : await transport.sendMail({
            envelope: { from: options.from.address, to: [message.to] },
            raw: endingAfterCommit(await new MailComposer(mail).compile().build(), message.messageId, commit)
          })
      } catch (err) {
        // nodemailer passes the stream's own error on (with its code set to ESTREAM).
        if (err instanceof AlreadySent) throw err
        throw deliveryError(err)
      }
      // One address: nodemailer throws when it is refused; a list that is partly refused is refused here.
      if ((info.rejected?.length ?? 0) > 0) throw new PermanentMailError(`recipient refused: ${info.rejected?.join(', ')}`)
    },
    async close () {
      transport.close()
    }
  }
}
