import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { fieldErrorsOf } from './field-errors'
import { joinTags, MentorCsvRow, type MentorFieldName, type MentorInput } from './mentor-fields'

export const CSV_COLUMNS = ['name', 'email', 'organisation', 'job_title', 'expertise', 'capacity', 'bio', 'active'] as const
type CsvColumn = typeof CSV_COLUMNS[number]
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['name', 'email', 'capacity']
const FIELD_OF: Record<CsvColumn, MentorFieldName> = {
  name: 'name', email: 'email', organisation: 'organisation', job_title: 'jobTitle', expertise: 'expertise', capacity: 'capacity', bio: 'bio', active: 'active'
}
const COLUMN_OF = Object.fromEntries(Object.entries(FIELD_OF).map(([column, field]) => [field, column])) as Record<string, string>
export const MAX_CSV_ROWS = 1000

export interface RowError { line: number, field: string, message: string }
export type CsvReading = { ok: true, mentors: MentorInput[] } | { ok: false, errors: RowError[] }
interface ParsedRecord { record: string[], info: { lines: number } }

// Spreadsheets run cells starting with these as formulas; exports neutralise them with a leading apostrophe and
// imports take it off again, so a file round-trips unchanged.
const FORMULA_START = /^[=+\-@\t\r]/
const protect = (cell: string): string => FORMULA_START.test(cell) ? `'${cell}` : cell
const unprotect = (cell: string): string => cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell

const isColumn = (name: string): name is CsvColumn => (CSV_COLUMNS as readonly string[]).includes(name)
const normaliseHeader = (name: string): string => name.trim().toLowerCase().replace(/[\s-]+/g, '_')
/** csv-parse counts the line a record ends on; a quoted value spanning lines starts earlier. */
const startLine = ({ record, info }: ParsedRecord): number =>
  info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0)

function headerErrors (columns: string[], line: number): RowError[] {
  const errors: RowError[] = []
  columns.forEach((column, i) => {
    if (!isColumn(column)) errors.push({ line, field: column || `(column ${i + 1})`, message: `is not a known column; use ${CSV_COLUMNS.join(', ')}` })
    else if (columns.indexOf(column) !== i) errors.push({ line, field: column, message: 'appears twice in the header' })
  })
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) errors.push({ line, field: column, message: 'column is missing from the header' })
  }
  return errors
}

/**
 * A file that was not UTF-8 arrives with U+FFFD where its bytes could not be read (the upload's decoding, or the
 * browser's): refused with the first such line rather than imported with broken names.
 */
function unreadableLine (text: string): RowError | null {
  const at = text.indexOf('\uFFFD')
  if (at < 0) return null
  return {
    line: text.slice(0, at).split('\n').length,
    field: '(file)',
    message: 'has characters that could not be read: the file is not UTF-8 text. In your spreadsheet, save it as "CSV UTF-8" and import it again'
  }
}

function parseRecords (text: string): ParsedRecord[] | RowError {
  const unreadable = unreadableLine(text)
  if (unreadable !== null) return unreadable
  try {
    return parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true }) as unknown as ParsedRecord[]
  } catch (err) {
    const { lines, message } = err as { lines?: number, message: string }
    return { line: lines ?? 1, field: '(file)', message: `is not valid CSV: ${message}` }
  }
}

/**
 * Reads a mentor CSV and checks every row before anything is imported: a row is reported with its line and column
 * for each bad value, for an email repeated in the file and for an email already in the pool.
 */
export function readMentorCsv (text: string, emailsInPool: ReadonlySet<string>): CsvReading {
  const records = parseRecords(text)
  if (!Array.isArray(records)) return { ok: false, errors: [records] }
  const [header, ...rows] = records
  if (!header) return { ok: false, errors: [{ line: 1, field: '(file)', message: 'is empty; the first line must name the columns' }] }
  const columns = header.record.map(normaliseHeader)
  const problems = headerErrors(columns, startLine(header))
  if (problems.length > 0) return { ok: false, errors: problems }
  if (rows.length === 0) return { ok: false, errors: [{ line: startLine(header) + 1, field: '(file)', message: 'has no mentor rows below the header' }] }
  if (rows.length > MAX_CSV_ROWS) return { ok: false, errors: [{ line: 1, field: '(file)', message: `has ${rows.length} rows; import at most ${MAX_CSV_ROWS} at a time` }] }

  const errors: RowError[] = []
  const mentors: MentorInput[] = []
  const lineOfEmail = new Map<string, number>()
  for (const row of rows) {
    const line = startLine(row)
    if (row.record.length > columns.length) {
      errors.push({ line, field: '(row)', message: `has ${row.record.length} values but the header has ${columns.length} columns` })
      continue
    }
    // Missing trailing values are read as empty, as spreadsheets often drop them.
    const raw = Object.fromEntries(columns.map((column, i) => [FIELD_OF[column as CsvColumn], unprotect(row.record[i] ?? '')]))
    const parsed = MentorCsvRow.safeParse(raw)
    const rowErrors = parsed.success ? [] : fieldErrorsOf(parsed.error).map((e) => ({ line, field: COLUMN_OF[e.field] ?? e.field, message: e.message }))
    const email = String(raw.email ?? '').trim().toLowerCase()
    if (email !== '' && !rowErrors.some((e) => e.field === 'email')) {
      const first = lineOfEmail.get(email)
      if (first !== undefined) rowErrors.push({ line, field: 'email', message: `repeats the email on line ${first}` })
      else if (emailsInPool.has(email)) rowErrors.push({ line, field: 'email', message: 'is already in the pool' })
      else lineOfEmail.set(email, line)
    }
    if (rowErrors.length > 0) errors.push(...rowErrors)
    else if (parsed.success) mentors.push(parsed.data)
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mentors }
}

type ExportedMentor = Pick<MentorInput, 'name' | 'email' | 'organisation' | 'jobTitle' | 'expertise' | 'capacity' | 'bio' | 'active'>

/** The pool as CSV in the import format (UTF-8 with BOM and CRLF, as spreadsheets expect). */
export function writeMentorCsv (mentors: readonly ExportedMentor[]): string {
  const rows = mentors.map((m) => [m.name, m.email, m.organisation, m.jobTitle, joinTags(m.expertise), String(m.capacity), m.bio, m.active ? 'yes' : 'no'].map(protect))
  return stringify([[...CSV_COLUMNS], ...rows], { bom: true, record_delimiter: 'windows' })
}
