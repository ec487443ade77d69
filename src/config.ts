import { isIP } from 'node:net'
import { z } from 'zod'
import type { MailAddress } from './domain/notifications/ports'
import { isTimeZone } from './domain/time/zones'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const secret = z.string().min(32, 'must be at least 32 characters')

const DEV_SECRET = 'development-only-secret-change-me-0123456789'

/**
 * Secrets anyone can read: the examples in .env.example and the development default. Production refuses them
 * (test/config.test.ts keeps this list in step with .env.example).
 */
export const PLACEHOLDER_SECRETS: ReadonlySet<string> = new Set([
  'change-me-to-a-long-random-string-of-32-plus-chars',
  'change-me-to-another-long-random-string-32-plus',
  DEV_SECRET
])

/**
 * Which LMS the demo simulator behaves like. The simulator is a development package, so production config names the
 * profiles itself; test/config.test.ts keeps this list equal to the simulator's PROFILE_NAMES.
 */
export const SIMULATOR_PROFILES = ['generic', 'canvas', 'moodle'] as const
export type SimulatorProfile = typeof SIMULATOR_PROFILES[number]

/** Where email comes from when MAIL_FROM is not set, outside production. */
export const DEFAULT_MAIL_FROM = 'Mentorlink <no-reply@mentorlink.localhost>'

/** `Name <address>`, `"Name" <address>` or a bare address, read into its parts; refused unless the address is valid. */
const mailbox = z.string().transform((value, ctx): MailAddress => {
  const match = /^\s*(?:"?([^"<>]*?)"?\s*<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(value)
  const address = match?.[2] ?? match?.[3]
  if (address === undefined || !z.email().safeParse(address).success) {
    ctx.addIssue({ code: 'custom', message: 'must be an email address, optionally with a name: `Mentorlink <no-reply@mentorlink.example.edu>`' })
    return z.NEVER
  }
  const name = match?.[1]?.trim()
  return name ? { name, address } : { address }
})

/** A host name, an IP address, or a CIDR block such as 10.20.0.0/16. */
const isHostEntry = (entry: string): boolean => {
  const [address = '', prefix, ...rest] = entry.split('/')
  if (rest.length > 0) return false
  const family = isIP(address)
  if (prefix !== undefined) return family !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
  return family !== 0 || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(address)
}
const hostList = z.string().transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
  .refine((entries) => entries.every(isHostEntry), 'must be a comma-separated list of host names, IP addresses and CIDR blocks, e.g. lms.campus.example.edu,10.20.0.0/16')

/** What the demo course holds when the demo starts on an empty database: a course ready to pair, or nothing yet. */
export const DEMO_STATES = ['seeded', 'empty'] as const
export type DemoState = typeof DEMO_STATES[number]

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    EMBEDDED_DB: z.enum(['auto', 'mongodb', 'ferretdb']).default('auto'),
    LTI_ENCRYPTION_KEY: secret.optional(),
    SESSION_SECRET: secret.optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(8 * 3600),
    SESSION_MEMBERSHIP_CHECK_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    LTI_LOGIN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    LTI_CLOCK_LEEWAY_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    LTI_JWKS_CACHE_SECONDS: z.coerce.number().int().min(0).default(600),
    LTI_JWKS_REFETCH_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(10),
    RATE_LIMIT_LAUNCHES_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_REGISTRATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    RATE_LIMIT_CHECK_INS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    RATE_LIMIT_EMAIL_SIGN_INS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    LTI_TOOL_KEY_BITS: z.coerce.number().int().min(2048).max(8192).default(4096),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
    MENTOR_INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    ROSTER_SYNC_MAX_AGE_MINUTES: z.coerce.number().int().min(0).default(60),
    DEMO: bool.optional(),
    DEMO_STATE: z.enum(DEMO_STATES).default('seeded'),
    SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
    SIMULATOR_PROFILE: z.enum(SIMULATOR_PROFILES).default('generic'),
    REGISTRATION_SECRET: secret.optional(),
    REGISTRATION_ALLOW_PRIVATE_NETWORKS: bool.optional(),
    REGISTRATION_ALLOWED_HOSTS: hostList.default([]),
    GRADE_WORKER: bool.default(true),
    GRADE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    GRADE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    GRADE_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    GRADE_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    GRADE_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    GRADE_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    GRADE_IDLE_POLL_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    COMPLETION_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(10),
    EXTERNAL_MENTOR_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(5),
    MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
    MAIL_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(6 * 3600),
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    MAIL_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    MAIL_IDLE_POLL_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    MAIL_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(7),
    TIME_ZONE: z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Europe/London').default('UTC'),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.edu:587' }).optional(),
    MAIL_FROM: mailbox.optional()
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return
    for (const key of ['LTI_ENCRYPTION_KEY', 'SESSION_SECRET', 'PUBLIC_URL', 'MONGODB_URI'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' })
    }
    for (const key of ['LTI_ENCRYPTION_KEY', 'SESSION_SECRET'] as const) {
      const value = env[key]
      if (value !== undefined && PLACEHOLDER_SECRETS.has(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is the published example value: set a random one of your own, e.g. `openssl rand -base64 48`' })
      }
    }
    if (env.SMTP_URL && !env.MAIL_FROM) ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'is required in production when SMTP_URL is set' })
  })

export type Env = z.infer<typeof EnvSchema>

/**
 * Where email goes. `embedded`: no SMTP_URL outside production (development, tests, the demo), so `npm start` runs
 * Mailpit and fills in `smtpUrl` and `inboxUrl` (notifications/embedded-mail.ts). Production without SMTP_URL sends
 * nothing (`enabled: false`), says so in the log at start, and keeps the reason for the admin side.
 */
export type EmailConfig =
  | { enabled: true, embedded: boolean, smtpUrl: string | undefined, from: MailAddress, inboxUrl?: string }
  | { enabled: false, embedded: false, disabledReason: string }

function emailOf (env: Env, demo: boolean): EmailConfig {
  const embedded = !env.SMTP_URL && (env.NODE_ENV !== 'production' || demo)
  if (!env.SMTP_URL && !embedded) {
    return { enabled: false, embedded: false, disabledReason: 'SMTP_URL is not set, so Mentorlink sends no email. Set SMTP_URL and MAIL_FROM to send notifications.' }
  }
  // Outside production a sender is always there; in production with SMTP_URL the schema requires MAIL_FROM.
  const from = env.MAIL_FROM ?? mailbox.parse(DEFAULT_MAIL_FROM)
  return { enabled: true, embedded, smtpUrl: env.SMTP_URL, from }
}

/** The environment, read into the shape the code uses (names, units and defaults resolved). */
function configOf (env: Env) {
  const demo = env.DEMO ?? (env.NODE_ENV === 'development' && !env.MONGODB_URI)
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    /** Base URL the LMS and browsers reach us at, without a trailing slash. */
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    mongodbUri: env.MONGODB_URI,
    dataDir: env.DATA_DIR,
    /** Which embedded server development and tests start when no MONGODB_URI is given. */
    embeddedDb: env.EMBEDDED_DB,
    ltiEncryptionKey: env.LTI_ENCRYPTION_KEY ?? DEV_SECRET,
    sessionSecret: env.SESSION_SECRET ?? DEV_SECRET,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    /**
     * How long each process trusts its last look at whether a signed-in person still takes part in the course in
     * their session's role (membership active, same role); 0 looks on every request.
     */
    sessionMembershipCheckSeconds: env.SESSION_MEMBERSHIP_CHECK_SECONDS,
    loginTtlSeconds: env.LTI_LOGIN_TTL_SECONDS,
    clockLeewaySeconds: env.LTI_CLOCK_LEEWAY_SECONDS,
    jwksCacheSeconds: env.LTI_JWKS_CACHE_SECONDS,
    jwksRefetchCooldownSeconds: env.LTI_JWKS_REFETCH_COOLDOWN_SECONDS,
    /** RSA size of the key pair generated for the tool when a platform is registered. */
    toolKeyBits: env.LTI_TOOL_KEY_BITS,
    rateLimits: {
      launchesPerMinute: env.RATE_LIMIT_LAUNCHES_PER_MINUTE,
      registrationsPerMinute: env.RATE_LIMIT_REGISTRATIONS_PER_MINUTE,
      checkInsPerMinute: env.RATE_LIMIT_CHECK_INS_PER_MINUTE,
      emailSignInsPerMinute: env.RATE_LIMIT_EMAIL_SIGN_INS_PER_MINUTE
    },
    sweepIntervalSeconds: env.SWEEP_INTERVAL_SECONDS,
    /** How long an external mentor's invitation link stays usable. */
    mentorInvitationTtlDays: env.MENTOR_INVITATION_TTL_DAYS,
    /** An instructor launch syncs the roster from the LMS when the last sync is older than this; 0 = every launch. */
    rosterSyncMaxAgeMinutes: env.ROSTER_SYNC_MAX_AGE_MINUTES,
    demo,
    /**
     * `seeded`: the demo course is synced, has a mentor pool and most intakes filled, so the instructor's first launch
     * can run a pairing; `empty`: the demo course appears only when someone launches, as in a real LMS.
     */
    demoState: env.DEMO_STATE,
    simulatorPort: env.SIMULATOR_PORT,
    simulatorProfile: env.SIMULATOR_PROFILE,
    /** Lets an admin start LTI Dynamic Registration with `?secret=`; without it only one-time registration links work. */
    registrationSecret: env.REGISTRATION_SECRET,
    /**
     * What dynamic registration may call. Outside production also private networks and loopback (the simulator runs
     * on 127.0.0.1); in production only public addresses, and the hosts, addresses and blocks listed.
     */
    registrationNetwork: {
      allowPrivateNetworks: env.REGISTRATION_ALLOW_PRIVATE_NETWORKS ?? env.NODE_ENV !== 'production',
      allowedHosts: env.REGISTRATION_ALLOWED_HOSTS
    },
    email: emailOf(env, demo),
    /** Grade passback: the outbox worker and the recompute of completion. */
    grades: {
      /** Run the grade worker inside the app (off when a separate `grade-worker-main` process sends). */
      worker: env.GRADE_WORKER,
      concurrency: env.GRADE_CONCURRENCY,
      requestTimeoutMs: env.GRADE_REQUEST_TIMEOUT_MS,
      /** A claimed score returns to the queue this long after its worker stops renewing the claim (a crash). */
      leaseSeconds: env.GRADE_LEASE_SECONDS,
      retryBaseMs: env.GRADE_RETRY_BASE_MS,
      retryMaxSeconds: env.GRADE_RETRY_MAX_SECONDS,
      pollMs: env.GRADE_POLL_MS,
      /** An idle worker polls less and less often, down to once per this (queued scores wake it at once). */
      idlePollMaxMs: env.GRADE_IDLE_POLL_MAX_MS,
      /** How often courses whose recompute failed (e.g. the LMS was down) are tried again. */
      recomputeRetrySeconds: env.COMPLETION_RETRY_SECONDS
    },
    /** The institution's zone: times are shown in it to people with no zone of their own in a course that set none. */
    timeZone: env.TIME_ZONE,
    /** How long an external mentor who signed in by email stays signed in on that browser. */
    externalMentorSessionDays: env.EXTERNAL_MENTOR_SESSION_DAYS,
    /** The mail sender (jobs/mail-worker.ts), when email is on. */
    mail: {
      concurrency: env.MAIL_CONCURRENCY,
      leaseSeconds: env.MAIL_LEASE_SECONDS,
      retryBaseMs: env.MAIL_RETRY_BASE_MS,
      retryMaxSeconds: env.MAIL_RETRY_MAX_SECONDS,
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      pollMs: env.MAIL_POLL_MS,
      /** An idle sender polls less and less often, down to once per this (emails queued in its process wake it at once). */
      idlePollMaxMs: env.MAIL_IDLE_POLL_MAX_MS,
      /** The hour (UTC) the daily summaries of the day before go out. */
      digestHourUtc: env.MAIL_DIGEST_HOUR_UTC
    }
  }
}

const ConfigSchema = EnvSchema.transform(configOf)

export type Config = z.output<typeof ConfigSchema>
export type GradesConfig = Config['grades']

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads and validates the environment once, naming every bad variable in one error. */
export function loadConfig (source: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = ConfigSchema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`))
  }
  return parsed.data
}
