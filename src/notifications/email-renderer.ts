import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import handlebars from 'handlebars'
import type { EmailRenderer } from '../domain/notifications/ports'

type Template = (data: Record<string, unknown>) => string

/**
 * Emails from the templates in views/emails: `<name>.html.hbs` and `<name>.text.hbs`, each put in its layout. The text
 * part is not HTML, so nothing in it is escaped; the HTML part escapes as pages do.
 */
export function createEmailRenderer (viewsDir: string): EmailRenderer {
  const html = handlebars.create()
  const text = handlebars.create()
  const compiled = new Map<string, Template>()
  // Partials: views/emails/partials/<name>.html.hbs and <name>.text.hbs, one per part.
  const partials = path.join(viewsDir, 'emails', 'partials')
  for (const file of readdirSync(partials)) {
    const [name, part] = file.split('.')
    if (name === undefined || (part !== 'html' && part !== 'text')) continue
    ;(part === 'html' ? html : text).registerPartial(name, readFileSync(path.join(partials, file), 'utf8'))
  }
  const load = (engine: typeof handlebars, file: string, options?: CompileOptions): Template => {
    const found = compiled.get(file)
    if (found) return found
    const template = engine.compile(readFileSync(path.join(viewsDir, 'emails', file), 'utf8'), { strict: false, ...options })
    compiled.set(file, template)
    return template
  }
  return {
    render: (name, data) => {
      const htmlBody = load(html, `${name}.html.hbs`)(data)
      const textBody = load(text, `${name}.text.hbs`, { noEscape: true })(data)
      const linkLabel = 'Open Mentorlink'
      return {
        html: load(html, 'layout.html.hbs')({ linkLabel, ...data, body: htmlBody }),
        text: load(text, 'layout.text.hbs', { noEscape: true })({ linkLabel, ...data, body: textBody.trim() })
      }
    }
  }
}

type CompileOptions = Parameters<typeof handlebars.compile>[1]
