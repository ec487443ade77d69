import * as ical from 'node-ical'
import type { CalendarEvent } from '../../src/domain/calendar/calendar-event'
import { tripZone as tripTimeZone } from '../../src/domain/activities/trip-time'
import { tripEnd as tripEndsAt } from '../../src/domain/activities/trip-clock'
import { tripEvent } from '../../src/domain/calendar/calendar-event'
import { keyedMilestones, milestoneEvent } from '../../src/domain/calendar/milestone-events'
import { calendarText, calendarWriter } from '../../src/notifications/calendar-file'

/** The events of a calendar as an independent parser (node-ical) reads it. */
const parse = (text: string): ical.VEvent[] => Object.values(ical.sync.parseICS(text)).filter((c): c is ical.VEvent => c?.type === 'VEVENT')

const trip = (extra: Partial<Parameters<typeof tripEvent>[1]> = {}): CalendarEvent => tripEvent('t1', {
  title: 'Harbour visit; boats, cranes', startsAt: new Date('2027-03-01T14:30:00Z'), place: 'Hamburg, Pier 3', description: 'Bring ID',
  changedAt: new Date('2027-02-01T10:00:00Z'), cancelled: false, ...extra
}, 'http://mentorlink.test/go/c1/student?to=%2Fstudent%2Ffield-trips')

describe('calendar text', () => {
  it('a trip without an end lasts two hours, in UTC without a zone; its text parses back to the same event', () => {
    const [event] = parse(calendarText([trip()], { name: 'Mentorlink: Course A', refreshSeconds: 3600 }))
    expect(event).toMatchObject({ uid: 'trip-t1@mentorlink', summary: 'Harbour visit; boats, cranes', location: 'Hamburg, Pier 3', sequence: Math.floor(Date.parse('2027-02-01T10:00:00Z') / 1000) })
    expect(event?.start.toISOString()).toBe('2027-03-01T14:30:00.000Z')
    expect(event?.end?.toISOString()).toBe('2027-03-01T16:30:00.000Z')
    expect(event?.description).toContain('Open in Mentorlink: http://mentorlink.test/go/c1/student')
  })

  it('uses the trip\'s own end and zone where it has them', () => {
    const times = { startsAt: new Date('2027-03-01T14:30:00Z'), endsAt: new Date('2027-03-01T18:00:00Z'), timeZone: 'Europe/Berlin' }
    expect(tripEndsAt(times)).toEqual(times.endsAt)
    expect(tripTimeZone(times)).toBe('Europe/Berlin')
    expect(tripTimeZone({})).toBe('UTC')
  })

  it('with a VTIMEZONE generator, a trip in a zone carries its TZID and local times', () => {
    const vtimezone = (zone: string) => zone === 'Europe/Berlin' ? 'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nEND:VTIMEZONE' : null
    const text = calendarWriter(vtimezone).text([trip({ timeZone: 'Europe/Berlin' })])
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20270301T153000')
    expect(parse(text)[0]?.start.toISOString()).toBe('2027-03-01T14:30:00.000Z')
    // A zone the generator does not know stays in UTC.
    expect(calendarWriter(vtimezone).text([trip({ timeZone: 'Mars/Olympus' })])).toContain('DTSTART:20270301T143000Z')
  })

  it('a milestone is a whole day, keyed by its title so that moving it keeps its entry', () => {
    const [first, again, other] = keyedMilestones([{ title: 'Midterm', date: '2027-03-05' }, { title: 'Midterm', date: '2027-04-05' }, { title: 'Final', date: '2027-05-01' }])
    expect(first?.key).toMatch(/^[0-9a-f]{16}$/)
    expect(again?.key).toBe(`${first?.key ?? ''}-2`)
    expect(keyedMilestones([{ title: 'Midterm', date: '2027-03-20' }])[0]?.key).toBe(first?.key)
    const course = { title: 'Course A', changedAt: new Date('2027-02-01T10:00:00Z') }
    const [event] = parse(calendarText([milestoneEvent('c1', other as NonNullable<typeof other>, course)]))
    expect(event).toMatchObject({ uid: `milestone-c1-${other?.key ?? ''}@mentorlink`, summary: 'Milestone: Final', datetype: 'date' })
    expect(event?.start.toISOString().slice(0, 10)).toBe('2027-05-01')
    expect(event?.end?.toISOString().slice(0, 10)).toBe('2027-05-02')
  })

  it('a cancelled trip says so, under the same uid', () => {
    const [event] = parse(calendarText([trip({ cancelled: true })]))
    expect(event).toMatchObject({ uid: 'trip-t1@mentorlink', status: 'CANCELLED' })
  })
})
