import type { Auth } from '../auth/require-session'
import type { CourseRole } from '../domain/launch/roles'
import { zoneLabel, zoneShortLabel, type ZoneSource } from '../domain/time/zones'

const ROLE_LABELS: Record<CourseRole, string> = { instructor: 'Instructor', mentor: 'Mentor', student: 'Student' }

/** Each role's navigation; `key` marks the current page. Add an entry here when a page joins the app. */
const NAV: Record<CourseRole, Array<{ key: string, href: string, label: string }>> = {
  instructor: [
    { key: 'home', href: '/instructor', label: 'Home' },
    { key: 'roster', href: '/instructor/roster', label: 'Roster' },
    { key: 'pool', href: '/instructor/pool', label: 'Mentor pool' },
    { key: 'pairing', href: '/instructor/pairing', label: 'Pairing' },
    { key: 'term', href: '/instructor/term', label: 'Term' },
    { key: 'activities', href: '/instructor/activities', label: 'Activities' },
    { key: 'field-trips', href: '/instructor/field-trips', label: 'Field trips' },
    { key: 'competencies', href: '/instructor/competencies', label: 'Competencies' },
    { key: 'growth', href: '/instructor/growth', label: 'Growth' },
    { key: 'completion', href: '/instructor/completion', label: 'Completion' },
    { key: 'grades', href: '/instructor/grades', label: 'Grades' },
    { key: 'calendar', href: '/calendar', label: 'Calendar' },
    { key: 'notifications', href: '/notifications', label: 'Notifications' }
  ],
  mentor: [
    { key: 'home', href: '/mentor', label: 'Home' },
    { key: 'mentees', href: '/mentor/mentees', label: 'Mentees' },
    { key: 'verifications', href: '/mentor/verifications', label: 'Verifications' },
    { key: 'assessments', href: '/mentor/assessments', label: 'Assessments' },
    { key: 'feedback', href: '/feedback', label: 'Session feedback' },
    { key: 'availability', href: '/mentor/availability', label: 'Availability' },
    { key: 'field-trips', href: '/mentor/field-trips', label: 'Field trips' },
    { key: 'profile', href: '/mentor/profile', label: 'Your profile' },
    { key: 'calendar', href: '/calendar', label: 'Calendar' },
    { key: 'notifications', href: '/notifications', label: 'Notifications' }
  ],
  student: [
    { key: 'home', href: '/student', label: 'Home' },
    { key: 'intake', href: '/student/intake', label: 'Intake' },
    { key: 'activities', href: '/student/activities', label: 'My record' },
    { key: 'booking', href: '/student/booking', label: 'Book a session' },
    { key: 'assessments', href: '/student/assessments', label: 'Assessments' },
    { key: 'feedback', href: '/feedback', label: 'Session feedback' },
    { key: 'field-trips', href: '/student/field-trips', label: 'Field trips' },
    { key: 'calendar', href: '/calendar', label: 'Calendar' },
    { key: 'notifications', href: '/notifications', label: 'Notifications' }
  ]
}

const ZONE_FROM: Record<ZoneSource, string> = {
  launch: 'as your LMS gives it',
  browser: 'as your browser gives it',
  course: 'the course\'s time zone',
  institution: 'the institution\'s time zone'
}

/** What every signed-in page's layout needs: who, which course, the navigation and the session token for links. */
export function pageContext (auth: Auth, title: string, current: string) {
  return {
    title,
    session: auth.token,
    user: auth.user,
    course: auth.course,
    roleLabel: ROLE_LABELS[auth.role],
    timeZone: { zone: auth.zone.zone, from: auth.zone.from, label: zoneLabel(auth.zone.zone), short: zoneShortLabel(auth.zone.zone), fromText: ZONE_FROM[auth.zone.from] },
    nav: NAV[auth.role].map((item) => ({ ...item, current: item.key === current, count: item.key === 'notifications' ? auth.unread ?? 0 : 0 }))
  }
}
