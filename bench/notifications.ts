/**
 * npm run bench:notifications — 10,000 reminder emails through the durable outbox to a real SMTP server (Mailpit),
 * on the embedded database: once sent by one process from start to end, once by a sender killed with SIGKILL
 * midway and another started after it. Each run counts what arrived against what was queued, by Message-ID:
 * emails not delivered (lost) and delivered more than once (duplicated). Ends with `<n> emails/s` (the uninterrupted
 * run), `lost: <n>` and `duplicated: <n>` (both runs).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config'
import type { QueuedEmail } from '../src/domain/notifications/ports'
import { ensureMailpitBinary, runMailpit, type RunningMailpit } from '../src/notifications/mailpit'
import { connectDatabase, type Database } from '../src/persistence/database'
import { startEmbeddedServer } from '../src/persistence/embedded-server'
import { createMailQueueRepository } from '../src/persistence/repositories/mail-queue.repository'
import { buildMailSending, createLog } from '../src/services'
import { machineLine, runBench, say } from './bench-app'

const EMAILS = Number(process.env.BENCH_EMAILS ?? 10_000)
const root = path.resolve(__dirname, '..')

const reminder = (run: string, i: number): Omit<QueuedEmail, 'attempts' | 'lastError'> => {
  const id = `bench-${run}-${i}`
  const link = `https://mentorlink.example.edu/student/trips/${i}`
  const unsubscribe = `https://mentorlink.example.edu/email/unsubscribe?kind=trip&u=${i}&s=${'0'.repeat(43)}`
  return {
    kind: 'trip',
    courseId: 'bench-course',
    userId: null,
    message: {
      messageId: id,
      to: `student-${i}@students.example.edu`,
      subject: 'Field trip tomorrow: Observing a contract negotiation — MGT 540 Executive Mentoring',
      text: `Hello Student ${i},\n\nYour field trip "Observing a contract negotiation" is tomorrow, 14 January 2027, from 09:30 to 12:00 (Europe/London) at Harbour Chambers, 12 Quay Street.\n\nOpen Mentorlink: ${link}\n\nYou get this email because you take MGT 540 Executive Mentoring. Stop these emails: ${unsubscribe}\n`,
      html: `<!doctype html><html lang="en"><body><p>Hello Student ${i},</p><p>Your field trip <strong>Observing a contract negotiation</strong> is tomorrow, 14 January 2027, from 09:30 to 12:00 (Europe/London) at Harbour Chambers, 12 Quay Street.</p><p><a href="${link}">Open the trip in Mentorlink</a></p><p>You get this email because you take MGT 540 Executive Mentoring. <a href="${unsubscribe}">Stop these emails</a></p></body></html>`,
      headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    }
  }
}

/** Message-ID (the part before @) → how many times it arrived. */
async function arrivals (mailpit: RunningMailpit): Promise<Map<string, number>> {
  const page = await (await fetch(`${mailpit.apiUrl}/messages?limit=1000000`)).json() as { messages: Array<{ MessageID: string }> }
  const counts = new Map<string, number>()
  for (const m of page.messages) {
    const id = m.MessageID.split('@')[0] as string
    counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function untilEmpty (db: Database): Promise<void> {
  while (await db.models.mailQueue.countDocuments() > 0) await sleep(50)
}

/** What arrived of `run`'s emails: lost and duplicated. */
async function tally (mailpit: RunningMailpit, run: string): Promise<{ lost: number, duplicated: number, lostIds: string[] }> {
  // SMTP has accepted every email once the queue is empty; Mailpit may store the last ones a moment later.
  let counts = await arrivals(mailpit)
  for (let i = 0; i < 40 && counts.size < EMAILS; i++) { await sleep(50); counts = await arrivals(mailpit) }
  const lostIds: string[] = []
  let duplicated = 0
  for (let i = 0; i < EMAILS; i++) {
    const n = counts.get(`bench-${run}-${i}`) ?? 0
    if (n === 0) lostIds.push(`bench-${run}-${i}`)
    if (n > 1) duplicated += n - 1
  }
  return { lost: lostIds.length, duplicated, lostIds }
}

async function main (): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mentorlink-bench-mail-'))
  const server = await startEmbeddedServer({ dataDir })
  const mailpit = await runMailpit(await ensureMailpitBinary(path.join(root, '.cache'), say), { maxMessages: 0 })
  const uri = `${server.uri}/bench_notifications`
  const db = await connectDatabase(uri)
  const env = {
    NODE_ENV: 'production', LOG_LEVEL: 'warn', PUBLIC_URL: 'https://mentorlink.example.edu', MONGODB_URI: uri,
    LTI_ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef0123', SESSION_SECRET: 'bench-session-secret-0123456789abcdef01', SMTP_URL: mailpit.smtpUrl, MAIL_FROM: 'Mentorlink <no-reply@mentorlink.example.edu>' }
  const children: ChildProcess[] = []
  try {
    say(`database: ${server.kind}; mail server: Mailpit (SMTP on loopback)`)
    const queue = createMailQueueRepository(db.models)
    const totals = { lost: 0, duplicated: 0 }

    // Run 1: this process sends everything.
    await queue.enqueue(Array.from({ length: EMAILS }, (_, i) => reminder('whole', i)))
    const config = loadConfig(env)
    const { worker } = buildMailSending({ config, log: createLog(config), db })
    const started = process.hrtime.bigint()
    worker?.start()
    await untilEmpty(db)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    await worker?.stop()
    const whole = await tally(mailpit, 'whole')
    totals.lost += whole.lost
    totals.duplicated += whole.duplicated
    const rate = Math.round(EMAILS / seconds)
    say(`one sender, ${EMAILS} emails: ${seconds.toFixed(2)} s, ${rate} emails/s (lost ${whole.lost}, duplicated ${whole.duplicated}; concurrency ${config.mail.concurrency})`)

    // Run 2: a separate sender is killed once about a third has arrived; another takes its lanes over after the lease.
    await queue.enqueue(Array.from({ length: EMAILS }, (_, i) => reminder('killed', i)))
    const sender = (): ChildProcess => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'jobs', 'mail-worker-main.ts')], {
        cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env, MAIL_LEASE_SECONDS: '3', MAIL_POLL_MS: '100', MAIL_IDLE_POLL_MAX_MS: '200' }
      })
      children.push(child)
      return child
    }
    const killedStart = process.hrtime.bigint()
    const first = sender()
    for (let seen = 0, waited = 0; seen < EMAILS + EMAILS / 3; waited += 100) {
      await sleep(100)
      if (waited % 1000 === 0) seen = (await arrivals(mailpit)).size
      if (waited > 120_000) throw new Error(`the sender sent ${seen - EMAILS} emails in 2 minutes`)
    }
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    const atKill = (await arrivals(mailpit)).size - EMAILS
    sender()
    await untilEmpty(db)
    const killedSeconds = Number(process.hrtime.bigint() - killedStart) / 1e9
    const killed = await tally(mailpit, 'killed')
    totals.lost += killed.lost
    totals.duplicated += killed.duplicated
    // An email lost to the kill was on the wire then: the sender that took over lists it for the instructor as uncertain.
    const uncertain = new Set((await db.models.mailFailures.find({ state: 'uncertain' }, { _id: 1 }).lean()).map((f) => String(f._id)))
    const listed = killed.lostIds.filter((id) => uncertain.has(id)).length
    say(`sender killed after ${atKill} emails, another took over: ${killedSeconds.toFixed(2)} s in all (lease of 3 s included), lost ${killed.lost} (${listed} of them listed as uncertain for the instructor; ${uncertain.size} listed in all), duplicated ${killed.duplicated}`)
    say(machineLine())
    say(`${rate} emails/s`)
    say(`lost: ${totals.lost}`)
    say(`duplicated: ${totals.duplicated}`)
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
    await db.close()
    await mailpit.stop()
    await server.stop()
  }
}

runBench(main)
