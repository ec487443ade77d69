import { filterRows, reportCsv, reportRows, weeklyActivity, type ReportInput } from '../../src/domain/activities/course-report'
import { countProgress, emptyProgress } from '../../src/domain/activities/progress-counts'
import { termOf, termWeeks } from '../../src/domain/term/term'

const input: ReportInput = {
  activities: [
    { studentUserId: 'a', kind: 'session', status: 'verified', date: '2027-01-12' },
    { studentUserId: 'a', kind: 'session', status: 'pending', date: '2027-01-20' },
    { studentUserId: 'a', kind: 'coaching', status: 'verified', skill: 'negotiation', date: '2027-01-13' },
    { studentUserId: 'a', kind: 'meeting', status: 'rejected', date: '2027-02-01' },
    { studentUserId: 'b', kind: 'coaching', status: 'verified', skill: 'leadership', date: '2027-01-11' },
    { studentUserId: 'stranger', kind: 'session', status: 'verified', date: '2027-01-11' }
  ],
  attendance: [{ studentUserId: 'a', status: 'present' }, { studentUserId: 'b', status: 'absent' }, { studentUserId: 'b', status: 'excused' }],
  attendedOn: [{ studentUserId: 'a', date: '2027-02-03' }],
  goals: [
    { studentUserId: 'a', horizon: 'short', status: 'achieved' },
    { studentUserId: 'a', horizon: 'long', status: 'dropped' },
    { studentUserId: 'b', horizon: 'short', status: 'in-progress' }
  ],
  reflections: [{ studentUserId: 'a' }, { studentUserId: 'a' }],
  contacts: [{ studentUserId: 'b' }]
}

describe('countProgress', () => {
  it('counts only verified activities, attended trips, goals set and reflections, per student asked for', () => {
    const counts = countProgress(['a', 'b', 'c'], input)
    expect(counts.get('a')).toEqual({
      verified: { session: 1, coaching: 1, meeting: 0 },
      coaching: { negotiation: 1, persuasion: 0, leadership: 0 },
      fieldTripsAttended: 1,
      goalsSet: { short: 1, long: 1 },
      goalsAchieved: { short: 1, long: 0 },
      reflections: 2
    })
    expect(counts.get('b')?.fieldTripsAttended).toBe(0)
    expect(counts.get('c')).toEqual(emptyProgress())
    expect(counts.has('stranger')).toBe(false)
  })
})

describe('the course report', () => {
  const students = [
    { userId: 'a', name: '=Ann', email: 'a@x', mentorId: 'm1', mentorName: 'Mia' },
    { userId: 'b', name: 'Bo', email: 'b@x', mentorId: 'm2', mentorName: 'Max' },
    { userId: 'c', name: 'Cy', email: 'c@x', mentorId: null, mentorName: null }
  ]
  const rows = reportRows(students, input)

  it('sums recorded, verified and waiting entries and finds the last activity', () => {
    expect(rows[0]).toMatchObject({ recorded: { session: 2, coaching: 1, meeting: 0 }, verified: 2, pending: 1, lastActivity: '2027-02-03' })
    expect(rows[1]).toMatchObject({ verified: 1, pending: 0, contacts: 1, lastActivity: '2027-01-11' })
    expect(rows[2]).toMatchObject({ verified: 0, lastActivity: null })
  })

  it('filters by mentor and by verification state', () => {
    expect(filterRows(rows, { mentorId: 'm2' }).map((r) => r.userId)).toEqual(['b'])
    expect(filterRows(rows, { mentorId: 'none' }).map((r) => r.userId)).toEqual(['c'])
    expect(filterRows(rows, { status: 'pending' }).map((r) => r.userId)).toEqual(['a'])
    expect(filterRows(rows, { status: 'verified' }).map((r) => r.userId)).toEqual(['b'])
    expect(filterRows(rows, { status: 'inactive' }).map((r) => r.userId)).toEqual(['c'])
  })

  it('exports CSV that spreadsheets read as text', () => {
    const lines = reportCsv(rows).trim().split('\n')
    expect(lines[0]).toBe('student,email,mentor,session_verified,coaching_verified,meeting_verified,coaching_negotiation_verified,coaching_persuasion_verified,coaching_leadership_verified,pending,field_trips_attended,goals_short,goals_long,goals_achieved,reflections,contacts,last_activity')
    expect(lines[1]).toBe("'=Ann,a@x,Mia,1,1,0,1,0,0,1,1,1,1,1,2,0,2027-02-03")
  })

  it('buckets activity into weeks of the term, leaving out returned entries', () => {
    const term = termOf({ custom: { term_start: '2027-01-11', term_end: '2027-02-07' } })
    if (!term) throw new Error('no term')
    const weeks = weeklyActivity(term, input)
    expect(weeks.map((w) => [w.start, w.activities, w.fieldTrips])).toEqual([
      ['2027-01-11', 4, 0], ['2027-01-18', 1, 0], ['2027-01-25', 0, 0], ['2027-02-01', 0, 1]
    ])
  })
})

describe('the term', () => {
  it('takes each date from the LMS where sent (date-times too), else from the instructor', () => {
    expect(termOf({ custom: { course_start: '2027-01-11T08:00:00Z' }, term: { start: '2026-12-01', end: '2027-03-01' } }))
      .toMatchObject({ start: '2027-01-11', end: '2027-03-01', startFrom: 'lms', endFrom: 'instructor' })
    expect(termOf({ custom: { term_start: 'soon' }, term: { start: '2027-01-01' } })).toBeNull()
    expect(termOf({ custom: {}, term: { start: '2027-02-01', end: '2027-01-01' } })).toBeNull()
  })

  it('ends its last week on its last day', () => {
    const term = termOf({ term: { start: '2027-01-01', end: '2027-01-10' } })
    expect(term && termWeeks(term)).toEqual([{ start: '2027-01-01', end: '2027-01-07' }, { start: '2027-01-08', end: '2027-01-10' }])
  })
})
