import { createRandom, drawLottery, seedHash } from '../../../src/domain/pairing/seeded-random'

describe('seeded randomness', () => {
  it('repeats a sequence for the same seed, a number and its string being the same seed', () => {
    const a = createRandom(42)
    const b = createRandom('42')
    const c = createRandom('43')
    const first = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(first)
    expect(Array.from({ length: 5 }, c)).not.toEqual(first)
    first.forEach(x => expect(x >= 0 && x < 1).toBe(true))
  })

  it('draws a strict order of ids that ignores input order and changes with the seed', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`)
    const lottery = drawLottery(ids, seedHash('s'))
    expect([...lottery.ranks].sort((x, y) => x - y)).toEqual(ids.map((_, i) => i))
    const reversed = drawLottery([...ids].reverse(), seedHash('s'))
    const orderOf = (l: typeof lottery, list: string[]): string[] => Array.from(l.order, i => list[i]!)
    expect(orderOf(reversed, [...ids].reverse())).toEqual(orderOf(lottery, ids))
    expect(orderOf(drawLottery(ids, seedHash('t')), ids)).not.toEqual(orderOf(lottery, ids))
  })
})
