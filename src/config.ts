import { z } from 'zod'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const secret = z.string().min(32, 'must be at least 32 characters')

const DEV_SECRET = 'development-only-secret-change-me-0123456789'

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
    LTI_ENCRYPTION_KEY: secret.optional(),
    SESSION_SECRET: secret.optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(8 * 3600),
    LTI_LOGIN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    LTI_CLOCK_LEEWAY_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    LTI_JWKS_CACHE_SECONDS: z.coerce.number().int().min(0).default(600),
    LTI_JWKS_REFETCH_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(10),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
    DEMO: bool.optional(),
    SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(3100)
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return
    for (const key of ['LTI_ENCRYPTION_KEY', 'SESSION_SECRET', 'PUBLIC_URL', 'MONGODB_URI'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' })
    }
  })

export type Env = z.infer<typeof EnvSchema>

export interface Config {
  env: Env['NODE_ENV']
  host: string
  port: number
  /** Base URL the LMS and browsers reach us at, without a trailing slash. */
  publicUrl: string
  trustProxy: boolean
  logLevel: Env['LOG_LEVEL']
  mongodbUri?: string
  dataDir: string
  ltiEncryptionKey: string
  sessionSecret: string
  sessionTtlSeconds: number
  loginTtlSeconds: number
  clockLeewaySeconds: number
  jwksCacheSeconds: number
  jwksRefetchCooldownSeconds: number
  sweepIntervalSeconds: number
  demo: boolean
  simulatorPort: number
}

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads and validates the environment once, naming every bad variable in one error. */
export function loadConfig (source: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = EnvSchema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`))
  }
  const env = parsed.data
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    mongodbUri: env.MONGODB_URI,
    dataDir: env.DATA_DIR,
    ltiEncryptionKey: env.LTI_ENCRYPTION_KEY ?? DEV_SECRET,
    sessionSecret: env.SESSION_SECRET ?? DEV_SECRET,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    loginTtlSeconds: env.LTI_LOGIN_TTL_SECONDS,
    clockLeewaySeconds: env.LTI_CLOCK_LEEWAY_SECONDS,
    jwksCacheSeconds: env.LTI_JWKS_CACHE_SECONDS,
    jwksRefetchCooldownSeconds: env.LTI_JWKS_REFETCH_COOLDOWN_SECONDS,
    sweepIntervalSeconds: env.SWEEP_INTERVAL_SECONDS,
    demo: env.DEMO ?? (env.NODE_ENV === 'development' && !env.MONGODB_URI),
    simulatorPort: env.SIMULATOR_PORT
  }
}
