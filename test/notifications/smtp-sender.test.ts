import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { AlreadySent, MailDeliveryError, PermanentMailError, TransientMailError, type MailMessage, type MailSender } from '../../src/domain/notifications/ports'
import { freePort } from '../../src/embedded/go-tools'
import { ensureMailpitBinary, runMailpit, type RunningMailpit } from '../../src/notifications/mailpit'
import { createSmtpSender, messageIdOf } from '../../src/notifications/smtp-sender'
import { getAttachment, getHeaders, getMessage, searchMessages, testAddress, waitForMessages, type MailpitSummary } from '../helpers/mailpit'

const from = { name: 'Mentorlink', address: 'no-reply@mentorlink.test' }
const newId = (): string => `t-${randomBytes(8).toString('hex')}`

const message = (to: string, overrides: Partial<MailMessage> = {}): MailMessage => ({
  to,
  subject: 'Hello',
  text: 'Hello there.',
  html: '<p>Hello there.</p>',
  messageId: newId(),
  ...overrides
})

/** The error a send rejected with. */
async function failureOf (send: Promise<void>): Promise<MailDeliveryError> {
  const outcome = await send.then(() => undefined, (err: unknown) => err)
  if (!(outcome instanceof MailDeliveryError)) throw new Error(`expected a MailDeliveryError, got ${String(outcome)}`)
  return outcome
}

describe('the SMTP sender, against the run\'s Mailpit', () => {
  let sender: MailSender
  beforeAll(() => { sender = createSmtpSender({ smtpUrl: process.env.TEST_SMTP_URL as string, from }) })
  afterAll(async () => { await sender.close() })

  it('delivers both parts, the one-click unsubscribe headers and an .ics attachment', async () => {
    const to = testAddress('student')
    const unsubscribe = `https://mentorlink.test/unsubscribe/${newId()}`
    const ics = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mentorlink//EN', 'METHOD:PUBLISH',
      'BEGIN:VEVENT', 'UID:trip-1@mentorlink.test', 'DTSTAMP:20270301T090000Z', 'DTSTART:20270302T130000Z', 'DTEND:20270302T160000Z',
      'SUMMARY:Visit to the port authority', 'END:VEVENT', 'END:VCALENDAR', ''
    ].join('\r\n')
    const messageId = newId()
    await sender.send({
      to,
      subject: 'Field trip tomorrow: Visit to the port authority — Negotiation 101',
      text: 'Your field trip is tomorrow at 13:00.\n\nOpen Mentorlink: https://mentorlink.test/trips/1',
      html: '<p>Your field trip is tomorrow at 13:00.</p><p><a href="https://mentorlink.test/trips/1">Open Mentorlink</a></p>',
      headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      attachments: [{ filename: 'field-trip.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }],
      messageId
    })

    const arrived = await waitForMessages(`to:${to}`)
    expect(arrived).toHaveLength(1)
    const summary = arrived[0] as MailpitSummary
    expect(summary.MessageID).toBe(messageIdOf(messageId, from))
    expect(summary.MessageID).toBe(`${messageId}@mentorlink.test`)
    const received = await getMessage(summary.ID)
    expect(received.Subject).toBe('Field trip tomorrow: Visit to the port authority — Negotiation 101')
    expect(received.From).toEqual({ Name: 'Mentorlink', Address: 'no-reply@mentorlink.test' })
    expect(received.To).toEqual([{ Name: '', Address: to }])
    expect(received.Text.replace(/\r\n/g, '\n').trim()).toBe('Your field trip is tomorrow at 13:00.\n\nOpen Mentorlink: https://mentorlink.test/trips/1')
    expect(received.HTML).toContain('<a href="https://mentorlink.test/trips/1">Open Mentorlink</a>')
    expect(received.ListUnsubscribe).toMatchObject({ Links: [unsubscribe], HeaderPost: 'List-Unsubscribe=One-Click', Errors: '' })

    const headers = await getHeaders(summary.ID)
    expect(headers['List-Unsubscribe']).toEqual([`<${unsubscribe}>`])
    expect(headers['List-Unsubscribe-Post']).toEqual(['List-Unsubscribe=One-Click'])
    expect(headers['Message-Id'] ?? headers['Message-ID']).toEqual([`<${messageId}@mentorlink.test>`])

    expect(received.Attachments).toEqual([expect.objectContaining({ FileName: 'field-trip.ics', ContentType: 'text/calendar' })])
    expect((await getAttachment(summary.ID, received.Attachments[0]?.PartID ?? '')).toString('utf8')).toBe(ics)
  })

  it('gives every send of one email the same Message-ID, so a repeat shows', async () => {
    const to = testAddress('mentor')
    const once = message(to)
    await sender.send(once)
    await sender.send(once)
    await sender.send(message(to))
    const arrived = await waitForMessages(`to:${to}`, 3)
    const ids = arrived.map((m) => m.MessageID)
    expect(ids.filter((id) => id === messageIdOf(once.messageId, from))).toHaveLength(2)
    expect(new Set(ids).size).toBe(2)
    expect(await searchMessages(`message-id:${messageIdOf(once.messageId, from)}`)).toHaveLength(2)
  })

  it('sends many at once over its pool of connections', async () => {
    const to = Array.from({ length: 40 }, () => testAddress('bulk'))
    const tag = newId()
    await Promise.all(to.map(async (address) => { await sender.send(message(address, { subject: `Bulk ${tag}` })) }))
    const arrived = await waitForMessages(`subject:"Bulk ${tag}"`, 40)
    expect(arrived.flatMap((m) => m.To.map((t) => t.Address)).sort()).toEqual([...to].sort())
  })

  it('ends the message only once its commit is written, and abandons it when the commit says it went already', async () => {
    const to = testAddress('committed')
    const order: string[] = []
    await sender.send(message(to, { subject: 'Committed' }), async () => { order.push('commit'); return true })
    order.push('accepted')
    expect(order).toEqual(['commit', 'accepted'])
    const refused = await sender.send(message(to, { subject: 'Sent already' }), async () => false).then(() => null, (err: unknown) => err)
    expect(refused).toBeInstanceOf(AlreadySent)
    // The pool goes on with a clean connection, and the abandoned message never arrived.
    await sender.send(message(to, { subject: 'After' }), async () => true)
    expect((await waitForMessages(`to:${to}`, 2)).map((m) => m.Subject).sort()).toEqual(['After', 'Committed'])
  })

  it('leaves no message when the commit fails, and says so as transient', async () => {
    const to = testAddress('uncommitted')
    const failure = await failureOf(sender.send(message(to), async () => { throw new Error('database is locked') }))
    expect(failure).toBeInstanceOf(TransientMailError)
    await sender.send(message(to, { subject: 'Marker' }))
    expect((await waitForMessages(`to:${to}`)).map((m) => m.Subject)).toEqual(['Marker'])
  })

  it('refuses a message id that cannot be a Message-ID, as permanent, without sending', async () => {
    const to = testAddress('student')
    const failure = await failureOf(sender.send(message(to, { messageId: 'two words' })))
    expect(failure).toBeInstanceOf(PermanentMailError)
    expect(await searchMessages(`to:${to}`)).toEqual([])
  })
})

describe('the SMTP sender when the server says no', () => {
  /** A Mailpit of this file's own: it refuses recipients outside mentorlink.test and lets chaos be switched on. */
  let picky: RunningMailpit
  let sender: MailSender
  const chaos = async (recipient: { ErrorCode: number, Probability: number }): Promise<void> => {
    const res = await fetch(`${picky.apiUrl}/chaos`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Recipient: recipient }) })
    expect(res.status).toBe(200)
  }

  beforeAll(async () => {
    const binary = await ensureMailpitBinary(path.resolve(__dirname, '..', '..', '.cache'), () => {})
    picky = await runMailpit(binary, { extraArgs: ['--smtp-allowed-recipients', '@mentorlink\\.test$', '--enable-chaos'] })
    sender = createSmtpSender({ smtpUrl: picky.smtpUrl, from })
  })
  afterAll(async () => {
    await sender?.close()
    await picky?.stop()
  })

  it('reports a refused recipient (550) as permanent', async () => {
    const failure = await failureOf(sender.send(message('someone@elsewhere.example')))
    expect(failure).toBeInstanceOf(PermanentMailError)
    expect(failure).toMatchObject({ permanent: true, responseCode: 550 })
    expect(await searchMessages('to:someone@elsewhere.example', picky.apiUrl)).toEqual([])
  })

  it('reports a temporary refusal (451) as transient, and sends once the server takes mail again', async () => {
    const to = testAddress('student')
    await chaos({ ErrorCode: 451, Probability: 100 })
    const failure = await failureOf(sender.send(message(to)))
    expect(failure).toBeInstanceOf(TransientMailError)
    expect(failure).toMatchObject({ permanent: false, responseCode: 451 })

    await chaos({ ErrorCode: 451, Probability: 0 })
    await sender.send(message(to))
    expect(await waitForMessages(`to:${to}`, 1, { api: picky.apiUrl })).toHaveLength(1)
  })

  it('reports a server that cannot be reached as transient', async () => {
    const closed = createSmtpSender({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from, timeoutMs: 2000 })
    try {
      const failure = await failureOf(closed.send(message(testAddress('student'))))
      expect(failure).toBeInstanceOf(TransientMailError)
      expect(failure.permanent).toBe(false)
      expect(failure.message).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/)
    } finally {
      await closed.close()
    }
  })
})
