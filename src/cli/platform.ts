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

async function run (argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  const command = positionals[0]
  if (!command || !['add', 'list', 'remove', 'registration-link'].includes(command)) { process.stderr.write(`${USAGE}\n`); return 2 }
  const config = { ...loadConfig(process.env), logLevel: 'warn' as const }
  // Only the database and the tool's keys: no routes, no workers, no demo, and the embedded database is joined if the app runs.
  const infra = await connectInfrastructure(config)
  const { platformRegistry, registrationLinks } = buildPlatformAdmin(infra)
  try {
    if (command === 'registration-link') {
      const link = await createRegistrationAccess({ links: registrationLinks, publicUrl: config.publicUrl }).createLink()
      process.stdout.write(`${link.url}\nPaste it into the platform's dynamic registration form. It works once, within ${REGISTRATION_LINK_TTL_HOURS} hours (until ${link.expiresAt.toISOString()}).\n`)
    } else if (command === 'list') {
      const rows = await platformRegistry.list()
      process.stdout.write(rows.length === 0 ? 'No platforms registered.\n' : `${JSON.stringify(rows, null, 2)}\n`)
    } else if (command === 'remove') {
      const removed = await platformRegistry.remove(values.issuer ?? '', values['client-id'] ?? '')
      process.stdout.write(removed ? 'Removed.\n' : 'No such platform.\n')
      return removed ? 0 : 1
    } else {
      const reg = await platformRegistry.add({
        issuer: values.issuer ?? '', clientId: values['client-id'] ?? '', name: values.name ?? '',
        authEndpoint: values['auth-url'] ?? '', tokenEndpoint: values['token-url'] ?? '', jwksUrl: values['jwks-url'] ?? '',
        deploymentIds: values['deployment-id'] ?? [],
        ...(values['authorization-server'] ? { authorizationServer: values['authorization-server'] } : {})
      })
      process.stdout.write(`Registered ${reg.issuer} (client id ${reg.clientId}, deployments ${reg.deploymentIds.join(', ')}).\n`)
    }
    return 0
  } finally {
    await infra.close()
  }
}

run(process.argv.slice(2)).then((code) => { process.exitCode = code }).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`)
  else if (err instanceof ZodError) {
    process.stderr.write(`Invalid platform:\n${err.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}\n`)
  } else process.stderr.write(`${(err as Error).message}\n`)
  process.exitCode = 1
})
