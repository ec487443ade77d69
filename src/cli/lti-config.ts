import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { canvasDeveloperKeyConfig, PLACEHOLDER_URL } from '../lti/canvas-config'

/** npm run lti-config -- [--url https://mentorlink.your-university.edu] [--out lti-config.json] */
const { values } = parseArgs({ options: { url: { type: 'string' }, out: { type: 'string' } }, strict: true })
const url = z.url({ protocol: /^https$/ }).safeParse(values.url ?? PLACEHOLDER_URL)
if (!url.success) {
  process.stderr.write('--url must be the https URL Mentorlink is served at, e.g. https://mentorlink.example.edu\n')
  process.exit(2)
}
const json = `${JSON.stringify(canvasDeveloperKeyConfig(url.data), null, 2)}\n`
if (values.out) writeFileSync(values.out, json)
else process.stdout.write(json)
