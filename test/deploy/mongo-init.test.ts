import { readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

/**
 * deploy/mongo-init.js, the one-shot service that initiates the replica set and creates the app's user, run against
 * a stand-in for mongosh's globals and a MongoDB 7 member: what it does on a new deployment, that running it again
 * initiates nothing, and how it stops. As in mongosh, a command the server refuses throws an error with its code.
 */

const source = readFileSync(path.resolve(__dirname, '../../deploy/mongo-init.js'), 'utf8')

class Quit extends Error { constructor (readonly code: number) { super(`quit(${code})`) } }
class ServerError extends Error {
  constructor (message: string, readonly code: number, readonly codeName: string) { super(message) }
}

interface Member {
  /** Connections refused before the member answers (the image's first start creates the root user meanwhile). */
  refusals: number
  rootPassword: string
  initiated: boolean
  /** hello answers isWritablePrimary: false this many times after the set is initiated (the election). */
  electionHellos: number
  users: Map<string, { pwd: string, roles: unknown[] }>
  commands: string[]
}

const member = (over: Partial<Member> = {}): Member => ({
  refusals: 0, rootPassword: 'root-secret', initiated: false, electionHellos: 2, users: new Map(), commands: [], ...over
})

const goodEnv = { MONGO_ROOT_USERNAME: 'root', MONGO_ROOT_PASSWORD: 'root-secret', MONGO_APP_USERNAME: 'mentorlink', MONGO_APP_PASSWORD: 'a1b2c3d4e5f6' }

function run (server: Member, env: Record<string, string> = goodEnv): { code: number, output: string[], uris: string[] } {
  let clock = 0
  const output: string[] = []
  const uris: string[] = []
  class Mongo {
    constructor (uri: string) {
      uris.push(uri)
      if (server.refusals > 0) {
        server.refusals--
        throw new Error('connect ECONNREFUSED mongo:27017')
      }
    }

    getDB (name: string) {
      expect(name).toBe('admin')
      let authenticated = false
      const needAuth = (): void => { if (!authenticated) throw new ServerError('requires authentication', 13, 'Unauthorized') }
      return {
        auth: (user: string, pwd: string) => {
          if (user !== 'root' || pwd !== server.rootPassword) throw new ServerError('Authentication failed.', 18, 'AuthenticationFailed')
          authenticated = true
          return { ok: 1 }
        },
        runCommand: (command: Record<string, unknown>) => {
          const name = Object.keys(command)[0] as string
          server.commands.push(name)
          if (name === 'ping' || name === 'hello') {
            if (name === 'ping') return { ok: 1 }
            const primary = server.initiated && server.electionHellos-- <= 0
            return { ok: 1, isWritablePrimary: primary }
          }
          needAuth()
          if (name === 'replSetGetStatus') {
            if (!server.initiated) throw new ServerError('no replset config has been received', 94, 'NotYetInitialized')
            return { ok: 1, set: 'rs0' }
          }
          if (name === 'replSetInitiate') {
            if (server.initiated) throw new ServerError('already initialized', 23, 'AlreadyInitialized')
            expect(command.replSetInitiate).toEqual({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] })
            server.initiated = true
            return { ok: 1 }
          }
          throw new ServerError(`no such command: '${name}'`, 59, 'CommandNotFound')
        },
        getUser: (user: string) => { needAuth(); return server.users.has(user) ? { user } : null },
        createUser: (spec: { user: string, pwd: string, roles: unknown[] }) => {
          needAuth()
          server.commands.push('createUser')
          server.users.set(spec.user, { pwd: spec.pwd, roles: spec.roles })
        },
        updateUser: (user: string, spec: { pwd: string, roles: unknown[] }) => {
          needAuth()
          server.commands.push('updateUser')
          server.users.set(user, { pwd: spec.pwd, roles: spec.roles })
        }
      }
    }
  }
  const context = {
    Mongo,
    Date: { now: () => clock },
    sleep: (ms: number) => { clock += ms },
    quit: (code: number) => { throw new Quit(code) },
    print: (...parts: unknown[]) => { output.push(parts.join(' ')) },
    process: { env }
  }
  try {
    vm.runInNewContext(source, context)
  } catch (err) {
    if (err instanceof Quit) return { code: err.code, output, uris }
    throw err
  }
  return { code: 0, output, uris }
}

const appRoles = [{ role: 'readWrite', db: 'mentorlink' }, { role: 'dbAdmin', db: 'mentorlink' }]

describe('deploy/mongo-init.js', () => {
  it('waits for the member, initiates rs0, waits for the primary and creates the app user', () => {
    const server = member({ refusals: 3 })
    const { code, output, uris } = run(server)
    expect(code).toBe(0)
    expect(uris[0]).toMatch(/^mongodb:\/\/mongo:27017\/\?directConnection=true/)
    expect(server.initiated).toBe(true)
    expect(server.users.get('mentorlink')).toEqual({ pwd: 'a1b2c3d4e5f6', roles: appRoles })
    // The user is created on the primary, after the election.
    expect(server.commands.indexOf('createUser')).toBeGreaterThan(server.commands.lastIndexOf('hello'))
    expect(output).toEqual(['mongo-init: replica set rs0 initiated with mongo:27017', 'mongo-init: user mentorlink created', 'mongo-init: done'])
  })

  it('changes nothing but the app user\'s password and roles when run again', () => {
    const server = member({ initiated: true, electionHellos: 0, users: new Map([['mentorlink', { pwd: 'old', roles: [] }]]) })
    const { code, output } = run(server)
    expect(code).toBe(0)
    expect(server.commands).not.toContain('replSetInitiate')
    expect(server.commands).not.toContain('createUser')
    expect(server.users.get('mentorlink')).toEqual({ pwd: 'a1b2c3d4e5f6', roles: appRoles })
    expect(output).toEqual(['mongo-init: user mentorlink updated', 'mongo-init: done'])
  })

  it('stops at once, saying why, when the root password is not the data volume\'s', () => {
    const server = member({ rootPassword: 'created-with-another' })
    const { code, output, uris } = run(server)
    expect(code).toBe(1)
    expect(uris).toHaveLength(1)
    expect(output.join('\n')).toMatch(/only when its data volume is new/)
    expect(server.initiated).toBe(false)
  })

  it('gives up after three minutes when the member never answers', () => {
    const { code, output } = run(member({ refusals: Number.MAX_SAFE_INTEGER }))
    expect(code).toBe(1)
    expect(output.join('\n')).toMatch(/connecting to mongo:27017 as root did not happen within 180 s \(connect ECONNREFUSED/)
  })

  it('refuses an app password MONGODB_URI cannot carry as it is, and a missing variable', () => {
    const server = member()
    expect(run(server, { ...goodEnv, MONGO_APP_PASSWORD: 'p@ss:word' })).toMatchObject({ code: 1, output: [expect.stringMatching(/MONGO_APP_PASSWORD may only hold .*openssl rand -hex 32/)] })
    expect(run(server, { ...goodEnv, MONGO_APP_USERNAME: '' })).toMatchObject({ code: 1, output: ['mongo-init: MONGO_APP_USERNAME is not set'] })
    expect(server.commands).toEqual([])
  })
})
