import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { SECRET_QUERY_PARAMS } from '../../src/http/logger'

/**
 * The production topology of docker-compose.yml, read as docker compose reads it (merge keys resolved): a MongoDB
 * replica set with authentication, app replicas behind a TLS proxy, separate grade workers. Docker itself is not
 * run here; `docker compose config` is, where the docker CLI has the compose plugin.
 */

const root = path.resolve(__dirname, '../..')

interface Healthcheck { test?: string[] | string, disable?: boolean }
interface Service {
  image?: string
  build?: unknown
  command?: string[]
  entrypoint?: string[]
  restart?: string
  environment?: Record<string, string>
  depends_on?: Record<string, { condition: string }>
  ports?: string[]
  volumes?: string[]
  tmpfs?: string[]
  deploy?: { replicas?: number }
  healthcheck?: Healthcheck
}
interface Compose { services: Record<string, Service>, volumes: Record<string, unknown> }

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose
const caddyfile = readFileSync(path.join(root, 'deploy/Caddyfile'), 'utf8')

function service (name: string): Service {
  const found = compose.services[name]
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`)
  return found
}

const testOf = (s: Service): string => {
  expect(s.healthcheck?.disable).not.toBe(true)
  const test = s.healthcheck?.test
  expect(test).toBeDefined()
  return Array.isArray(test) ? test.join(' ') : String(test)
}

/** Every `${VAR...}` the value interpolates, by name. */
const variables = (value: string | undefined): string[] => [...(value ?? '').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1] as string)

describe('docker-compose.yml', () => {
  it('runs MongoDB 7 as a replica set with a key file and a root user, keeping its data in a volume', () => {
    const mongo = service('mongo')
    expect(mongo.image).toBe('mongo:7')
    const command = mongo.command ?? []
    expect(command[command.indexOf('--replSet') + 1]).toBe('rs0')
    const keyFile = command[command.indexOf('--keyFile') + 1]
    expect(keyFile).toMatch(/^\/run\/mongo\//)
    expect(mongo.tmpfs).toContain(path.dirname(keyFile as string))
    expect(command).toContain('--bind_ip_all')
    // The entrypoint writes the key from MONGO_REPLICA_KEY, then hands over to the image's entrypoint.
    expect(mongo.entrypoint).toEqual(['bash', '/deploy/mongo-keyfile.sh'])
    expect(mongo.volumes).toContain('./deploy/mongo-keyfile.sh:/deploy/mongo-keyfile.sh:ro')
    const script = readFileSync(path.join(root, 'deploy/mongo-keyfile.sh'), 'utf8')
    expect(script).toContain(`keyfile=${keyFile}`)
    expect(script).toMatch(/chown mongodb:mongodb "\$keyfile"/)
    expect(script).toMatch(/chmod 0400 "\$keyfile"/)
    expect(script).toMatch(/exec docker-entrypoint\.sh "\$@"/)
    expect(variables(mongo.environment?.MONGO_REPLICA_KEY)).toEqual(['MONGO_REPLICA_KEY'])
    expect(variables(mongo.environment?.MONGO_INITDB_ROOT_USERNAME)).toEqual(['MONGO_ROOT_USERNAME'])
    expect(variables(mongo.environment?.MONGO_INITDB_ROOT_PASSWORD)).toEqual(['MONGO_ROOT_PASSWORD'])
    expect(mongo.volumes).toContain('mongo-data:/data/db')
    expect(compose.volumes).toHaveProperty('mongo-data')
    // Healthy only as the replica set's primary.
    expect(testOf(mongo)).toMatch(/isWritablePrimary/)
  })

  it('initiates the replica set and creates the app user in a one-shot service the apps wait for', () => {
    const init = service('mongo-init')
    expect(init.restart).toBe('no')
    expect(init.depends_on?.mongo).toBeDefined()
    expect(init.command?.join(' ')).toMatch(/mongosh .*--file \/deploy\/mongo-init\.js/)
    expect(init.volumes).toContain('./deploy/mongo-init.js:/deploy/mongo-init.js:ro')
    const script = readFileSync(path.join(root, 'deploy/mongo-init.js'), 'utf8')
    expect(script).toMatch(/replSetInitiate: \{ _id: REPLICA_SET, members: \[\{ _id: 0, host: HOST \}\] \}/)
    expect(script).toContain("const HOST = 'mongo:27017'")
    expect(script).toContain("const REPLICA_SET = 'rs0'")
    expect(script).toMatch(/role: 'readWrite', db: DATABASE/)
    for (const name of ['MONGO_ROOT_USERNAME', 'MONGO_ROOT_PASSWORD', 'MONGO_APP_USERNAME', 'MONGO_APP_PASSWORD']) {
      expect(variables(init.environment?.[name])).toEqual([name])
      expect(script).toContain(`env('${name}')`)
    }
    for (const name of ['app', 'grade-worker']) {
      expect(service(name).depends_on?.['mongo-init']).toEqual({ condition: 'service_completed_successfully' })
      expect(service(name).depends_on?.mongo).toEqual({ condition: 'service_healthy' })
    }
  })

  it('connects the app and the workers with the app user, to the replica set', () => {
    for (const name of ['app', 'grade-worker']) {
      const env = service(name).environment ?? {}
      expect(env.NODE_ENV).toBe('production')
      const uri = env.MONGODB_URI ?? ''
      expect(uri).toMatch(/^mongodb:\/\/\$\{MONGO_APP_USERNAME:\?[^}]*\}:\$\{MONGO_APP_PASSWORD:\?[^}]*\}@mongo:27017\/mentorlink\?/)
      const query = new URLSearchParams(uri.slice(uri.indexOf('/mentorlink?') + '/mentorlink?'.length))
      expect(query.get('replicaSet')).toBe('rs0')
      expect(query.get('authSource')).toBe('admin')
      // Secrets are required (`:?`), never defaulted.
      for (const key of ['PUBLIC_URL', 'LTI_ENCRYPTION_KEY', 'SESSION_SECRET']) expect(env[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`))
    }
  })

  it('runs several app replicas with no host port, leaving grades to the workers, checked on /readyz', () => {
    const app = service('app')
    expect(app.build).toBe('.')
    expect(app.deploy?.replicas).toBeGreaterThanOrEqual(2)
    expect(app.ports).toBeUndefined()
    expect(app.environment?.GRADE_WORKER).toBe('false')
    expect(app.environment?.TRUST_PROXY).toBe('true')
    expect(testOf(app)).toContain('http://127.0.0.1:3000/readyz')
  })

  it('runs grade workers from the same image with a health check of their own', () => {
    const worker = service('grade-worker')
    expect(worker.image).toBe(service('app').image)
    expect(worker.command).toEqual(['node', 'dist/src/jobs/grade-worker-main.js'])
    expect(worker.environment?.GRADE_WORKER).not.toBe('false')
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(1)
    // Not the image's /readyz check (the worker serves no HTTP): the database, with the worker's own URI.
    const check = testOf(worker)
    expect(check).not.toContain('/readyz')
    expect(check).toContain('process.env.MONGODB_URI')
    // The built image has the worker where the command looks for it (tsconfig.build.json compiles src/ into dist/src/).
    const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions?: { outDir?: string, rootDir?: string } }
    expect(build.compilerOptions?.outDir ?? 'dist').toBe('dist')
    expect(readFileSync(path.join(root, 'src/jobs/grade-worker-main.ts'), 'utf8')).toContain('buildGradeSending')
  })

  it('puts Caddy in front: ports 80 and 443, its Caddyfile, kept certificates and a health check', () => {
    const proxy = service('proxy')
    expect(proxy.image).toBe('caddy:2')
    expect(proxy.ports).toEqual(expect.arrayContaining(['80:80', '443:443', '443:443/udp']))
    expect(proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro')
    expect(proxy.volumes).toContain('caddy-data:/data')
    expect(variables(proxy.environment?.PUBLIC_URL)).toEqual(['PUBLIC_URL'])
    expect(testOf(proxy)).toContain('http://127.0.0.1:2019/config/')
    // Only the proxy publishes ports.
    for (const [name, s] of Object.entries(compose.services)) if (name !== 'proxy') expect(s.ports).toBeUndefined()
  })

  it('has `docker compose config` accept it, where the docker CLI has compose', () => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' })
    if (version.status !== 0) {
      // No compose plugin on this machine: the assertions above are what is checked here.
      console.warn('docker compose is not installed: `docker compose config` was not run')
      return
    }
    const env = {
      ...process.env,
      PUBLIC_URL: 'https://mentorlink.example.edu',
      LTI_ENCRYPTION_KEY: 'k'.repeat(48),
      SESSION_SECRET: 's'.repeat(48),
      MONGO_ROOT_USERNAME: 'root',
      MONGO_ROOT_PASSWORD: 'r'.repeat(32),
      MONGO_APP_USERNAME: 'mentorlink',
      MONGO_APP_PASSWORD: 'a'.repeat(32),
      MONGO_REPLICA_KEY: 'K'.repeat(756)
    }
    // --env-file /dev/null: a developer's own .env must not decide the outcome.
    const run = spawnSync('docker', ['compose', '--env-file', '/dev/null', '-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, env, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })
})

describe('deploy/Caddyfile', () => {
  /** The body of the block opened by `header {` (balanced braces). */
  const block = (text: string, header: string): string => {
    const start = text.indexOf(`${header} {`)
    if (start < 0) throw new Error(`no block ${header}`)
    const open = start + header.length + 1
    let depth = 0
    for (let i = open; i < text.length; i++) {
      if (text[i] === '{') depth++
      if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i)
    }
    throw new Error(`unbalanced block ${header}`)
  }
  const code = caddyfile.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n')

  it('serves PUBLIC_URL and balances over every app replica', () => {
    expect(code).toMatch(/^\{\$PUBLIC_URL\} \{/m)
    const proxy = block(code, 'reverse_proxy')
    expect(proxy).toMatch(/dynamic a app 3000 \{/)
    expect(proxy).toMatch(/lb_policy round_robin/)
    expect(proxy).toMatch(/lb_try_duration \d+s/)
    expect(proxy).toMatch(/fail_duration \d+s/)
  })

  it('never logs a session (or another credential of a URL): not in the URI, a Referer or a Location, in the access log or Caddy\'s own', () => {
    // The same query parameters as Mentorlink's own log redacts, session first among them.
    const actions = block(code, '(secret-query-params)').trim().split('\n').map((line) => line.trim())
    expect(SECRET_QUERY_PARAMS).toContain('session')
    expect(actions).toEqual(SECRET_QUERY_PARAMS.map((name) => `replace ${name} REDACTED`))
    const filter = block(code, '(without-secrets)')
    for (const field of ['request>uri', 'request>headers>Referer', 'resp_headers>Location']) {
      expect(block(filter, `${field} query`).trim()).toBe('import secret-query-params')
    }
    const site = block(code, '{$PUBLIC_URL}')
    const accessLog = block(site, 'log')
    expect(block(accessLog, 'fields').trim()).toBe('import without-secrets')
    const globalOptions = code.slice(code.indexOf('\n{\n'))
    expect(block(block(globalOptions, 'log'), 'fields').trim()).toBe('import without-secrets')
  })

  it('is a configuration Caddy accepts, where caddy is installed', () => {
    const env = { ...process.env, PUBLIC_URL: 'https://mentorlink.example.edu' }
    const run = spawnSync('caddy', ['adapt', '--config', 'deploy/Caddyfile', '--adapter', 'caddyfile'], { cwd: root, env, encoding: 'utf8' })
    if (run.error) {
      console.warn('caddy is not installed: `caddy adapt` was not run')
      return
    }
    expect(run.status).toBe(0)
    const config = JSON.parse(run.stdout) as { logging: { logs: Record<string, { encoder?: { fields?: Record<string, unknown> } }> } }
    const redacted = { filter: 'query', actions: SECRET_QUERY_PARAMS.map((parameter) => ({ type: 'replace', parameter, value: 'REDACTED' })) }
    for (const log of ['default', 'log0']) {
      for (const field of ['request>uri', 'request>headers>Referer', 'resp_headers>Location']) expect(config.logging.logs[log]?.encoder?.fields?.[field]).toEqual(redacted)
    }
  })
})
