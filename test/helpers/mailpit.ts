import { randomBytes } from 'node:crypto'

/**
 * The run's mail server (test/global-setup.ts starts Mailpit) read through its REST API. Test files share it: give
 * each test its own recipients (`testAddress`) and search by them rather than reading or deleting every message.
 */

export interface MailpitAddress { Name: string, Address: string }

/** A message as Mailpit lists it. */
export interface MailpitSummary {
  ID: string
  /** The Message-ID header without its angle brackets. */
  MessageID: string
  From: MailpitAddress
  To: MailpitAddress[]
  Subject: string
  Created: string
  Size: number
  /** How many attachments it has. */
  Attachments: number
  Snippet: string
}

export interface MailpitAttachment { PartID: string, FileName: string, ContentType: string, Size: number }

/** A whole message (GET /api/v1/message/{ID}). */
export interface MailpitMessage extends Omit<MailpitSummary, 'Attachments' | 'Snippet' | 'Created'> {
  Date: string
  Text: string
  HTML: string
  Attachments: MailpitAttachment[]
  Inline: MailpitAttachment[]
  /** Mailpit's reading of List-Unsubscribe and List-Unsubscribe-Post. */
  ListUnsubscribe: { Header: string, HeaderPost: string, Links: string[], Errors: string }
}

interface MessagesPage { total: number, messages_count: number, messages: MailpitSummary[] }

export function mailpitApi (): string {
  const api = process.env.TEST_MAILPIT_API
  if (!api) throw new Error('TEST_MAILPIT_API is not set: run the tests through jest (test/global-setup.ts)')
  return api
}

/** An address no other test uses, e.g. `student-3f9a1c2b@mentorlink.test`. */
export function testAddress (who = 'user'): string {
  return `${who}-${randomBytes(4).toString('hex')}@mentorlink.test`
}

async function call (path: string, init?: RequestInit, api = mailpitApi()): Promise<Response> {
  const res = await fetch(`${api}${path}`, init)
  if (!res.ok) throw new Error(`Mailpit ${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`)
  return res
}

/** Every message, newest first. */
export async function listMessages (api?: string): Promise<MailpitSummary[]> {
  return ((await (await call('/messages?limit=100000', undefined, api)).json()) as MessagesPage).messages
}

/** The messages matching a Mailpit search (`to:<address>`, `subject:"…"`, `message-id:<id>`, …), newest first. */
export async function searchMessages (query: string, api?: string): Promise<MailpitSummary[]> {
  const params = new URLSearchParams({ query, limit: '100000' })
  return ((await (await call(`/search?${params.toString()}`, undefined, api)).json()) as MessagesPage).messages
}

export async function getMessage (id: string, api?: string): Promise<MailpitMessage> {
  return await (await call(`/message/${id}`, undefined, api)).json() as MailpitMessage
}

/** The message's headers, each with all its values. */
export async function getHeaders (id: string, api?: string): Promise<Record<string, string[]>> {
  return await (await call(`/message/${id}/headers`, undefined, api)).json() as Record<string, string[]>
}

/** An attachment's bytes. */
export async function getAttachment (id: string, partId: string, api?: string): Promise<Buffer> {
  return Buffer.from(await (await call(`/message/${id}/part/${partId}`, undefined, api)).arrayBuffer())
}

/** Deletes the messages matching a search; with no query, every message (only for a Mailpit of the test's own). */
export async function deleteMessages (query?: string, api?: string): Promise<void> {
  if (query === undefined) await call('/messages', { method: 'DELETE' }, api)
  else await call(`/search?${new URLSearchParams({ query }).toString()}`, { method: 'DELETE' }, api)
}

/** Waits until a search finds `count` messages (SMTP has accepted them, Mailpit may not have stored them yet). */
export async function waitForMessages (query: string, count = 1, { timeoutMs = 10_000, api }: { timeoutMs?: number, api?: string } = {}): Promise<MailpitSummary[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await searchMessages(query, api)
    if (found.length >= count || Date.now() > deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
