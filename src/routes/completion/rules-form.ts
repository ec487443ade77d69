import { z } from 'zod'
import { REQUIREMENT_KEYS, REQUIREMENTS } from '../../domain/completion/requirements'
import { CompletionRulesInput, type CompletionRules } from '../../domain/completion/rules'

const numberField = z.string().max(12, 'must be a number').optional()
const fields = Object.fromEntries(REQUIREMENT_KEYS.flatMap((k) => [[`need_${k}`, numberField], [`points_${k}`, numberField]]))

/** The rules editor's form as posted: text fields, checked by the domain rules once turned into numbers. */
export const RulesForm = z.object({
  session: z.string().min(1, 'is required: open this page from your course'),
  action: z.enum(['preview', 'save'], { error: 'must be preview or save' }),
  partialCredit: z.literal('on', { error: 'must be on or left out' }).optional(),
  runningScores: z.string().max(10).optional(),
  ...fields
})
export type RulesForm = z.infer<typeof RulesForm>

export type FieldErrors = Record<string, string>

/** Form field names for a zod issue path of the rules: ['requirements', 'sessions', 'need'] → need_sessions. */
const fieldOf = (path: PropertyKey[]): string =>
  path[0] === 'requirements' && path.length === 3 ? `${String(path[2])}_${String(path[1])}` : String(path[0] ?? 'rules')

const toNumber = (text: string | undefined): number => text === undefined || text.trim() === '' ? NaN : Number(text)

/** The posted rules, or the problems by form field. */
export function rulesFromForm (form: RulesForm): { rules: CompletionRules } | { errors: FieldErrors } {
  const raw = form as Record<string, string | undefined>
  const parsed = CompletionRulesInput.safeParse({
    requirements: Object.fromEntries(REQUIREMENT_KEYS.map((k) => [k, { need: toNumber(raw[`need_${k}`]), points: toNumber(raw[`points_${k}`]) }])),
    partialCredit: form.partialCredit === 'on',
    runningScores: form.runningScores
  })
  if (parsed.success) return { rules: parsed.data }
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues) errors[fieldOf(issue.path)] ??= issue.message
  return { errors }
}

/** The editor's rows: what the fields show (posted text after an error, else the rules) and their errors. */
export function rulesFormView (rules: CompletionRules, posted?: RulesForm, errors: FieldErrors = {}) {
  const raw = posted as Record<string, string | undefined> | undefined
  const field = (name: string, value: number) => ({ name, value: raw?.[name] ?? String(value), error: errors[name] })
  return {
    requirements: REQUIREMENT_KEYS.map((k) => ({
      key: k,
      label: REQUIREMENTS[k].label,
      need: field(`need_${k}`, rules.requirements[k].need),
      points: field(`points_${k}`, rules.requirements[k].points)
    })),
    partialCredit: posted ? posted.partialCredit === 'on' : rules.partialCredit,
    runningShown: (posted?.runningScores ?? rules.runningScores) === 'shown',
    errors: Object.entries(errors).map(([name, message]) => ({ name, message: `${labelOf(name)}: ${message}` })),
    rulesError: errors.requirements ?? errors.rules
  }
}

function labelOf (name: string): string {
  const [kind, key] = name.split('_') as [string, keyof typeof REQUIREMENTS | undefined]
  if (key && key in REQUIREMENTS) return `${REQUIREMENTS[key].label}, ${kind === 'need' ? 'number needed' : 'points'}`
  return { partialCredit: 'Partial credit', runningScores: 'Scores before completion', requirements: 'Requirements' }[name] ?? name
}
