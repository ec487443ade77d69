import { z } from 'zod'
import { COMPETENCY_LIMITS as LIMITS, LEVELS, type Competency } from './vocabulary'

const text = (max: number, what: string) => z.string({ error: 'is required' }).trim()
  .min(1, { error: `is required: ${what}`, abort: true })
  .max(max, `must be at most ${max} characters`)

const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** One competency as an instructor writes it; `key` is kept from the competency it edits (new ones get one from the name). */
export const CompetencyInput = z.strictObject({
  key: z.string().trim().max(60).regex(KEY, 'must be lowercase letters, digits and hyphens').optional(),
  name: text(LIMITS.name, 'name the competency'),
  description: text(LIMITS.description, 'say in a sentence what it covers'),
  levels: z.array(z.string({ error: 'must be text' }).trim(), { error: 'must be a list of 5 descriptions' })
    .length(LEVELS.length, `must describe exactly ${LEVELS.length} levels, 1 to ${LEVELS.length}`)
    .superRefine((levels, ctx) => {
      levels.forEach((words, i) => {
        if (words === '') ctx.addIssue({ code: 'custom', path: [i], message: `level ${i + 1}: describe it in words` })
        else if (words.length > LIMITS.level) ctx.addIssue({ code: 'custom', path: [i], message: `level ${i + 1}: must be at most ${LIMITS.level} characters` })
      })
    })
})
export type CompetencyInput = z.output<typeof CompetencyInput>

const sameName = (a: string, b: string): boolean => a.toLocaleLowerCase('en') === b.toLocaleLowerCase('en')

/** The whole framework (the JSON API's PUT): unique names and keys, 1 to 15 competencies. */
export const FrameworkInput = z.strictObject({
  revision: z.number({ error: 'is required: the revision you edited (from GET)' }).int().min(0),
  competencies: z.array(CompetencyInput)
    .min(1, 'must list at least one competency')
    .max(LIMITS.competencies, `must list at most ${LIMITS.competencies} competencies`)
    .superRefine((list, ctx) => {
      list.forEach((c, i) => {
        if (list.findIndex((other) => sameName(other.name, c.name)) < i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Competency ${i + 1}: the name "${c.name}" is used twice` })
        if (c.key !== undefined && list.findIndex((other) => other.key === c.key) < i) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `Competency ${i + 1}: the key "${c.key}" is used twice` })
      })
    })
})
export type FrameworkInput = z.output<typeof FrameworkInput>

const slug = (name: string): string => name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'competency'

/** Gives each new competency a key from its name, unique in the list; kept keys stay. */
export function withKeys (inputs: readonly CompetencyInput[]): Competency[] {
  const taken = new Set(inputs.flatMap((c) => c.key === undefined ? [] : [c.key]))
  return inputs.map((c) => {
    let key = c.key
    if (key === undefined) {
      const base = slug(c.name)
      key = base
      for (let n = 2; taken.has(key); n++) key = `${base}-${n}`
      taken.add(key)
    }
    return { key, name: c.name, description: c.description, levels: [...c.levels] }
  })
}

/** Problems a list has as a whole once one competency is added or changed, named as the single-competency form names fields. */
export function nameClash (list: readonly Competency[], name: string, exceptKey?: string): boolean {
  return list.some((c) => c.key !== exceptKey && sameName(c.name, name))
}
