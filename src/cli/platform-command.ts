import { parseArgs } from 'node:util'
import { ZodError } from 'zod'
import { ConfigError, loadConfig } from '../config'
import { createRegistrationAccess, REGISTRATION_LINK_TTL_HOURS } from '../lti/registration/registration-access'
import { buildPlatformAdmin, connectInfrastructure } from '../services'

const USAGE = `Usage:
  npm run platform -- add --issuer URL --client-id ID --name NAME --auth-url URL --token-url URL --jwks-url URL --deployment-id ID [--deployment-id ID ...] [--authorization-server URL]
  npm run platform -- list
  npm run platform -- remove --issuer URL --client-id ID
  npm run platform -- registration-link    (a one-time LTI Dynamic Registration URL for Moodle or Canvas)`

const OPTIONS = {
  issuer: { type: 'string' }, 'client-id': { type: 'string' }, name: { type: 'string' },
  'auth-url': { type: 'string' }, 'token-url': { type: 'string' }, 'jwks-url': { type: 'string' },
  'authorization-server': { type: 'string' }, 'deployment-id': { type: 'string', multiple: true }
} as const

/** Where a command writes: the process's streams, or a test's buffers. */
export interface Output { out: (text: string) => void, err: (text: string) => void }

/** Runs one `npm run platform` command; answers the exit code. Refusals are written to `err`, never thrown. */
export async function runPlatformCommand (argv: string[], env: NodeJS.ProcessEnv, { out, err }: Output): Promise<number> {
  try {
    return await run(argv, env, { out, err })
  } catch (error) {
    if (error instanceof ConfigError) err(`${error.message}\n`)
    else if (error instanceof ZodError) err(`Invalid platform:\n${error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}\n`)
    else err(`${(error as Error).message}\n`)
    return 1
  }
}

async function run (argv: string[], env: NodeJS.ProcessEnv, { out, err }: Output): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  const command = positionals[0]
  if (!command || !['add', 'list', 'remove', 'registration-link'].includes(command)) { err(`${USAGE}\n`); return 2 }
  const config = { ...loadConfig(env), logLevel: 'warn' as const }
  // Only the database and the tool's keys: no routes, no workers, no demo, and the embedded database is joined if the app runs.
  const infra = await connectInfrastructure(config)
  const { platformRegistry, registrationLinks } = buildPlatformAdmin(infra)
  try {
    if (command === 'registration-link') {
      const link = await createRegistrationAccess({ links: registrationLinks, publicUrl: config.publicUrl }).createLink()
      out(`${link.url}\nPaste it into the platform's dynamic registration form. It works once, within ${REGISTRATION_LINK_TTL_HOURS} hours (until ${link.expiresAt.toISOString()}).\n`)
    } else if (command === 'list') {
      const rows = await platformRegistry.list()
      out(rows.length === 0 ? 'No platforms registered.\n' : `${JSON.stringify(rows, null, 2)}\n`)
    } else if (command === 'remove') {
      const removed = await platformRegistry.remove(values.issuer ?? '', values['client-id'] ?? '')
      out(removed ? 'Removed.\n' : 'No such platform.\n')
      return removed ? 0 : 1
    } else {
      const reg = await platformRegistry.add({
        issuer: values.issuer ?? '', clientId: values['client-id'] ?? '', name: values.name ?? '',
        authEndpoint: values['auth-url'] ?? '', tokenEndpoint: values['token-url'] ?? '', jwksUrl: values['jwks-url'] ?? '',
        deploymentIds: values['deployment-id'] ?? [],
        ...(values['authorization-server'] ? { authorizationServer: values['authorization-server'] } : {})
      })
      out(`Registered ${reg.issuer} (client id ${reg.clientId}, deployments ${reg.deploymentIds.join(', ')}).\n`)
    }
    return 0
  } finally {
    await infra.close()
  }
}
