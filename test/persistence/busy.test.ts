import { isBusy, retryWhenBusy } from '../../src/persistence/busy'

/** The embedded database's answer when SQLite's own wait ran out (FerretDB passes SQLite's message on). */
const locked = (): Error => Object.assign(new Error('database is locked (5) (SQLITE_BUSY)'), { code: 1 })

describe('a busy embedded database', () => {
  it('is told apart from other failures', () => {
    expect(isBusy(locked())).toBe(true)
    expect(isBusy(new Error('database table is locked (6) (SQLITE_LOCKED)'))).toBe(true)
    expect(isBusy(new Error('E11000 duplicate key error'))).toBe(false)
    expect(isBusy(undefined)).toBe(false)
  })

  it('gets the write tried again until it goes through', async () => {
    let calls = 0
    const result = await retryWhenBusy(async () => {
      calls++
      if (calls < 3) throw locked()
      return 'written'
    })
    expect(result).toBe('written')
    expect(calls).toBe(3)
  })

  it('gives up after a few tries, and never retries other errors', async () => {
    let calls = 0
    await expect(retryWhenBusy(async () => { calls++; throw locked() })).rejects.toThrow('database is locked')
    expect(calls).toBe(6)
    calls = 0
    await expect(retryWhenBusy(async () => { calls++; throw new Error('E11000 duplicate key error') })).rejects.toThrow('E11000')
    expect(calls).toBe(1)
  })
})
