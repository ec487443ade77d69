import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../src/config'
import { freePort } from '../../src/embedded/go-tools'
import { startEmbeddedMail } from '../../src/notifications/embedded-mail'
import { createSmtpSender } from '../../src/notifications/smtp-sender'
import { searchMessages, testAddress, waitForMessages } from '../helpers/mailpit'
import { testDatabaseUri } from '../helpers/test-app'

const root = path.resolve(__dirname, '..', '..')
const cacheDir = path.join(root, '.cache')

describe('the embedded mail server of npm start', () => {
  it('runs Mailpit when SMTP_URL is not set, keeping the mail in DATA_DIR across a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mentorlink-mail-'))
    const config = loadConfig({ DATA_DIR: dataDir })
    const first = await startEmbeddedMail(config, () => {}, cacheDir)
    const email = first.config.email
    if (!email.enabled || email.smtpUrl === undefined || email.inboxUrl === undefined) throw new Error(`no mail server: ${JSON.stringify(email)}`)
    const to = testAddress('student')
    const sender = createSmtpSender({ smtpUrl: email.smtpUrl, from: email.from })
    try {
      await sender.send({ to, subject: 'Kept', text: 'Kept.', html: '<p>Kept.</p>', messageId: 'kept-1' })
    } finally {
      await sender.close()
    }
    const api = `${email.inboxUrl}/api/v1`
    expect(await waitForMessages(`to:${to}`, 1, { api })).toHaveLength(1)
    expect((await fetch(email.inboxUrl)).status).toBe(200)
    await first.stop()
    expect(existsSync(path.join(dataDir, 'mailpit', 'mailpit.db'))).toBe(true)

    const second = await startEmbeddedMail(config, () => {}, cacheDir)
    try {
      const again = second.config.email
      if (!again.enabled || again.inboxUrl === undefined) throw new Error('no mail server')
      expect(await searchMessages(`to:${to}`, `${again.inboxUrl}/api/v1`)).toEqual([expect.objectContaining({ Subject: 'Kept', MessageID: 'kept-1@mentorlink.localhost' })])
    } finally {
      await second.stop()
    }
  })

  it('leaves a configured SMTP_URL alone', async () => {
    const config = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })
    const setup = await startEmbeddedMail(config, () => { throw new Error('nothing to say') }, cacheDir)
    expect(setup.config).toBe(config)
  })

  it('runs on with email off, saying why, when Mailpit cannot be built', async () => {
    const blocked = path.join(mkdtempSync(path.join(os.tmpdir(), 'mentorlink-mail-')), 'a-file')
    writeFileSync(blocked, '')
    const setup = await startEmbeddedMail(loadConfig({}), () => {}, path.join(blocked, 'cache'))
    expect(setup.config.email).toEqual({ enabled: false, embedded: false, disabledReason: expect.stringMatching(/^the local mail server \(Mailpit\) did not start: .*Set SMTP_URL/) })
  })

  it('says plainly at start that email is off in production without SMTP_URL', async () => {
    const port = await freePort()
    const server = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'server.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, MONGODB_URI: testDatabaseUri(),
        LTI_ENCRYPTION_KEY: 'mail-encryption-key-0123456789abcdef01234', SESSION_SECRET: 'mail-session-secret-0123456789abcdef0123', LTI_TOOL_KEY_BITS: '2048'
      }
    })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ''
        server.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8')
          const found = out.split('\n').find((l) => l.includes('Email is off'))
          if (found !== undefined) resolve(found)
        })
        server.once('exit', (code) => reject(new Error(`the server exited (${code}) without saying email is off:\n${out}`)))
      })
      expect(JSON.parse(line)).toMatchObject({ level: 40, msg: 'Email is off: SMTP_URL is not set, so Mentorlink sends no email. Set SMTP_URL and MAIL_FROM to send notifications.' })
    } finally {
      server.kill('SIGKILL')
    }
  }, 60_000)
})
