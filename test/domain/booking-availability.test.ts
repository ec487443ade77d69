import { firstClash, openTimes, overlaps, type Slot } from '../../src/domain/booking/availability'
import { weekdayOf } from '../../src/domain/term/calendar-day'
import { instantAt, isTimeZone } from '../../src/domain/time/zones'

/** Wall times on a mentor's clock become the right instants, also in the weeks the clocks change. */
const slot = (extra: Partial<Slot>): Slot => ({
  _id: 's', courseId: 'c', mentorUserId: 'm', kind: 'weekly', weekday: 1, from: '2027-03-01', until: '2027-04-30',
  startTime: '09:00', minutes: 60, timeZone: 'Europe/Berlin', place: 'Room 4', videoLink: '', createdAt: new Date(0), ...extra
})
const iso = (d: Date) => d.toISOString()

describe('wall time to instant', () => {
  it('follows daylight saving: 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(iso(instantAt('2027-03-22', '09:00', 'Europe/Berlin'))).toBe('2027-03-22T08:00:00.000Z')
    expect(iso(instantAt('2027-03-29', '09:00', 'Europe/Berlin'))).toBe('2027-03-29T07:00:00.000Z')
    expect(iso(instantAt('2027-03-13', '09:00', 'America/New_York'))).toBe('2027-03-13T14:00:00.000Z')
    expect(iso(instantAt('2027-03-15', '09:00', 'America/New_York'))).toBe('2027-03-15T13:00:00.000Z')
    // The southern hemisphere changes the other way round.
    expect(iso(instantAt('2027-04-02', '09:00', 'Australia/Sydney'))).toBe('2027-04-01T22:00:00.000Z')
    expect(iso(instantAt('2027-04-05', '09:00', 'Australia/Sydney'))).toBe('2027-04-04T23:00:00.000Z')
  })

  it('takes a time the clocks skip as the same time after the change, and a repeated one on winter time', () => {
    expect(iso(instantAt('2027-03-28', '02:30', 'Europe/Berlin'))).toBe('2027-03-28T01:30:00.000Z')
    expect(iso(instantAt('2027-10-31', '02:30', 'Europe/Berlin'))).toBe('2027-10-31T01:30:00.000Z')
  })

  it('knows zone names and weekdays', () => {
    expect(isTimeZone('Europe/London')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Mars/Olympus')).toBe(false)
    expect(weekdayOf('2027-03-22')).toBe(1)
    expect(weekdayOf('2027-03-28')).toBe(7)
  })
})

describe('open times', () => {
  it('expands a weekly slot on its weekday between its days, across the change, as instants', () => {
    const times = openTimes([slot({})], '2027-03-15', '2027-04-06', new Date(0)).map((t) => iso(t.startsAt))
    expect(times).toEqual(['2027-03-15T08:00:00.000Z', '2027-03-22T08:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-04-05T07:00:00.000Z'])
  })

  it('offers a one-off slot once, and nothing already past', () => {
    const once = slot({ kind: 'once', weekday: null, from: '2027-03-24', until: '2027-03-24', startTime: '14:15', timeZone: 'UTC' })
    expect(openTimes([once], '2027-03-01', '2027-03-31', new Date(0)).map((t) => iso(t.startsAt))).toEqual(['2027-03-24T14:15:00.000Z'])
    expect(openTimes([once], '2027-03-01', '2027-03-31', new Date('2027-03-24T14:15:00Z'))).toEqual([])
  })

  it('finds overlaps of times, end to start being no overlap', () => {
    const at = (t: string, minutes: number) => ({ startsAt: new Date(t), minutes })
    expect(overlaps(at('2027-03-22T08:00:00Z', 60), at('2027-03-22T08:30:00Z', 30))).toBe(true)
    expect(overlaps(at('2027-03-22T08:00:00Z', 60), at('2027-03-22T09:00:00Z', 30))).toBe(false)
    const clash = firstClash([at('2027-03-22T09:00:00Z', 30), at('2027-03-29T08:30:00Z', 30)], [at('2027-03-29T08:00:00Z', 60)])
    expect(clash?.time.startsAt.toISOString()).toBe('2027-03-29T08:30:00.000Z')
  })
})
