import type handlebars from 'handlebars'

/** Appends the session token to an in-app link, since no cookie carries it inside the LMS iframe. */
export function withSession (href: string, session: unknown): string {
  if (typeof session !== 'string' || session === '') return href
  const [address = '', fragment] = href.split('#', 2)
  return `${address}${address.includes('?') ? '&' : '?'}session=${encodeURIComponent(session)}${fragment === undefined ? '' : `#${fragment}`}`
}

const ENGLISH = new Intl.PluralRules('en')

export function registerViewHelpers (engine: typeof handlebars): void {
  engine.registerHelper('link', (href: string, options: handlebars.HelperOptions) =>
    withSession(href, (options.data as { root?: { session?: string } }).root?.session))
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  engine.registerHelper('mul', (a: unknown, b: unknown) => Number(a) * Number(b))
  /** A count with its noun in the right number: `{{plural n "entry" "entries"}}` is "1 entry", "2 entries". */
  engine.registerHelper('plural', (n: unknown, one: string, many: string) => `${Number(n)} ${ENGLISH.select(Number(n)) === 'one' ? one : many}`)
  /** Text cut to `length` characters with an ellipsis: chart labels must not run into their bars. */
  engine.registerHelper('clip', (text: unknown, length: unknown) => {
    const value = String(text ?? '')
    return value.length > Number(length) ? `${value.slice(0, Number(length) - 1).trimEnd()}…` : value
  })
  /** value/max of a length, clamped to [0, length]: for chart bars. */
  engine.registerHelper('scale', (value: unknown, max: unknown, length: unknown) => {
    const m = Number(max)
    return m > 0 ? Math.max(0, Math.min(Number(length), (Number(value) / m) * Number(length))) : 0
  })
}
