import { Types } from 'mongoose'
import { createMentorRepository } from '../../src/persistence/repositories/mentor.repository'
import { callApi, getPage, postForm, unescapeHtml } from '../helpers/http'
import { startPoolWorld, type PoolWorld } from './support/pool-world'

let world: PoolWorld
let amara: string

const HEADER = 'name,email,organisation,job_title,expertise,capacity,bio,active'
const CLEAN = [
  HEADER,
  'Ada Lovelace,ada@example.org,Analytical Engines,Scientist,maths; computing,3,"Wrote the first program,\nby hand",yes',
  'Grace Hopper,GRACE@example.org,US Navy,Admiral,compilers,5,,no',
  '"Okafor, Chidi",chidi@example.org,,,,1,=SUM(A1),'
].join('\n')

async function importCsv (token: string, csv: string) {
  const res = await fetch(`${world.base}/api/v1/pool/mentors/import`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv
  })
  return { status: res.status, body: await res.json() as { imported?: number, rows?: Array<{ line: number, field: string, message: string }> } }
}
/** The body as sent, byte-order mark included (Response.text() would drop it). */
const textOf = async (res: Response) => Buffer.from(await res.arrayBuffer()).toString('utf8')
const exportCsv = async (token: string) => await textOf(await fetch(`${world.base}/api/v1/pool/mentors/export`, { headers: { authorization: `Bearer ${token}` } }))
const count = async () => await world.app.db.models.mentors.countDocuments({})

beforeAll(async () => {
  world = await startPoolWorld()
  amara = await world.session('u-amara')
  await callApi(world.base, amara, 'POST', '/api/v1/pool/mentors', { name: 'Existing Mentor', email: 'existing@example.org', capacity: 2 })
})
afterAll(async () => { await world?.close() })

describe('CSV import', () => {
  it.each([
    ['a missing name', `${HEADER}\n,nn@example.org,,,,3,,`, { line: 2, field: 'name', message: 'is required' }],
    ['a bad email', `${HEADER}\nBad,bad-at-example,,,,3,,`, { line: 2, field: 'email', message: 'must be a valid email address' }],
    ['capacity not a number', `${HEADER}\nNan,nan@example.org,,,,three,,`, { line: 2, field: 'capacity', message: 'must be a whole number from 1 to 50' }],
    ['capacity 0', `${HEADER}\nZero,zero@example.org,,,,0,,`, { line: 2, field: 'capacity', message: 'must be a whole number from 1 to 50' }],
    ['capacity 51', `${HEADER}\nBig,big@example.org,,,,51,,`, { line: 2, field: 'capacity', message: 'must be a whole number from 1 to 50' }],
    ['a bad active value', `${HEADER}\nAct,act@example.org,,,,3,,perhaps`, { line: 2, field: 'active', message: 'must be yes or no' }],
    ['an email twice in the file', `${HEADER}\nOne,twice@example.org,,,,3,,\nTwo,Twice@example.org,,,,3,,`, { line: 3, field: 'email', message: 'repeats the email on line 2' }],
    ['an email already in the pool', `${HEADER}\nAgain,EXISTING@example.org,,,,3,,`, { line: 2, field: 'email', message: 'is already in the pool' }],
    ['an unknown column', 'name,email,capacity,shoe_size\nA,a@example.org,3,44', { line: 1, field: 'shoe_size', message: expect.stringContaining('is not a known column') }],
    ['a missing required column', 'name,email\nA,a@example.org', { line: 1, field: 'capacity', message: 'column is missing from the header' }],
    ['a row with too many values', `name,email,capacity\nA,a@example.org,3,extra`, { line: 2, field: '(row)', message: 'has 4 values but the header has 3 columns' }],
    ['an unclosed quote', `name,email,capacity\n"A,a@example.org,3`, { line: expect.any(Number), field: '(file)', message: expect.stringContaining('is not valid CSV') }],
    ['no rows', HEADER, { line: 2, field: '(file)', message: 'has no mentor rows below the header' }]
  ])('reports %s with its line and field, and imports nothing', async (_what, csv, problem) => {
    const before = await count()
    const res = await importCsv(amara, csv)
    expect(res.status).toBe(400)
    expect(res.body.rows).toContainEqual(problem)
    expect(await count()).toBe(before)
  })

  it('reports every bad row of a file at once, with lines counted across quoted line breaks', async () => {
    const csv = `${HEADER}\nGood,good@example.org,,,,3,"two\nlines",\n,,,,,x,,\nFine,fine@example.org,,,,3,,`
    const res = await importCsv(amara, csv)
    expect(res.body.rows).toEqual([
      { line: 4, field: 'name', message: 'is required' },
      { line: 4, field: 'email', message: 'is required' },
      { line: 4, field: 'capacity', message: 'must be a whole number from 1 to 50' }
    ])
    expect(await count()).toBe(1)
  })

  it('refuses a file that is not UTF-8, naming the first line it cannot read, and imports nothing', async () => {
    // "Zoë" saved as Windows-1252: 0xEB is no UTF-8 character on its own.
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nGood,good@example.org,,,,3,,\nZo`), Buffer.from([0xeb]), Buffer.from(' Meyer,zoe@example.org,,,,3,,')])
    const res = await fetch(`${world.base}/api/v1/pool/mentors/import`, {
      method: 'POST', headers: { authorization: `Bearer ${amara}`, 'content-type': 'text/csv' }, body: latin1
    })
    expect(res.status).toBe(400)
    const body = await res.json() as { rows: Array<{ line: number, field: string, message: string }> }
    expect(body.rows).toEqual([{ line: 3, field: '(file)', message: expect.stringContaining('not UTF-8') }])
    expect(await count()).toBe(1)
  })

  it('imports exactly the rows of a clean file', async () => {
    const res = await importCsv(amara, CLEAN)
    expect(res).toEqual({ status: 201, body: { imported: 3 } })
    const saved = await world.app.db.models.mentors.find({ email: { $ne: 'existing@example.org' } }).sort({ name: 1 }).lean()
    expect(saved.map(({ name, email, organisation, jobTitle, expertise, capacity, bio, active, source }) =>
      ({ name, email, organisation, jobTitle, expertise, capacity, bio, active, source }))).toEqual([
      { name: 'Ada Lovelace', email: 'ada@example.org', organisation: 'Analytical Engines', jobTitle: 'Scientist', expertise: ['maths', 'computing'], capacity: 3, bio: 'Wrote the first program,\nby hand', active: true, source: 'external' },
      { name: 'Grace Hopper', email: 'grace@example.org', organisation: 'US Navy', jobTitle: 'Admiral', expertise: ['compilers'], capacity: 5, bio: '', active: false, source: 'external' },
      { name: 'Okafor, Chidi', email: 'chidi@example.org', organisation: '', jobTitle: '', expertise: [], capacity: 1, bio: '=SUM(A1)', active: true, source: 'external' }
    ])
    expect(await count()).toBe(4)
  })

  it('exports the pool in the import format, neutralising formulas, and the export round-trips into another pool', async () => {
    const csv = await exportCsv(amara)
    expect(csv.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true)
    expect(csv).toContain("'=SUM(A1)")
    const ines = await world.session('u-ines', 'mgt541')
    expect(await importCsv(ines, csv)).toEqual({ status: 201, body: { imported: 4 } })
    expect(await exportCsv(ines)).toBe(csv)
  })

  it('serves the template as a CSV download with only the header row', async () => {
    const res = await fetch(`${world.base}/instructor/pool/template.csv?session=${amara}`)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mentor-pool-template.csv"')
    expect(await textOf(res)).toBe(`\uFEFF${HEADER}\r\n`)
  })

  it('imports from the page form: errors in a table, the text kept; a clean paste confirmed', async () => {
    const page = await getPage(world.base, amara, '/instructor/pool/import')
    expect(page.html).toContain('<label for="csv-text">CSV text</label>')
    expect(page.html).toContain('/static/js/csv-file.js')
    const bad = `${HEADER}\nNew One,new1@example.org,,,,3,,\nNew Two,ada@example.org,,,,3,,`
    const refused = await postForm(world.base, amara, '/instructor/pool/import', { csv: bad })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('Nothing was imported: 1 problems in the file')
    expect(refused.html).toMatch(/<td>3<\/td><td>email<\/td><td>is already in the pool<\/td>/)
    expect(unescapeHtml(refused.html)).toContain(bad)
    const empty = await postForm(world.base, amara, '/instructor/pool/import', { csv: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.html).toContain('id="csv-text-error"')
    const before = await count()
    const ok = await postForm(world.base, amara, '/instructor/pool/import', { csv: `${HEADER}\nNew One,new1@example.org,,,,3,,` })
    expect(ok.status).toBe(303)
    expect(ok.location).toContain('notice=imported&n=1')
    expect(await count()).toBe(before + 1)
    expect((await getPage(world.base, amara, '/instructor/pool?notice=imported&n=1')).html).toContain('1 mentors imported from the CSV file.')
  })

  it('refuses a student (403) and shows another tenant only its own empty pool', async () => {
    const lucia = await world.session('u-lucia')
    expect((await importCsv(lucia, CLEAN)).status).toBe(403)
    expect((await fetch(`${world.base}/instructor/pool/export.csv?session=${lucia}`)).status).toBe(403)
    const otto = await world.session('u-otto', 'ext900')
    expect(await exportCsv(otto)).toBe(`\uFEFF${HEADER}\r\n`)
  })
})

describe('the all-or-nothing bulk insert', () => {
  it('removes the rows it wrote when a later row fails', async () => {
    const repo = createMentorRepository(world.app.db.models)
    const poolId = new Types.ObjectId().toHexString()
    const row = (email: string) => ({ name: email, email, organisation: '', jobTitle: '', expertise: [], capacity: 2, bio: '', active: true })
    expect(await repo.insertAll(poolId, [row('first@example.org')], { source: 'external' })).toBe('ok')
    const result = await repo.insertAll(poolId, [row('a@example.org'), row('b@example.org'), row('first@example.org'), row('c@example.org')], { source: 'external' })
    expect(result).toBe('duplicate')
    expect((await repo.list(poolId)).map((m) => m.email)).toEqual(['first@example.org'])
  })
})
