import type { Auth } from '../auth/require-session'
import type { CourseRole } from '../domain/launch/roles'

const ROLE_LABELS: Record<CourseRole, string> = { instructor: 'Instructor', mentor: 'Mentor', student: 'Student' }

/** Each role's navigation; `key` marks the current page. Add an entry here when a page joins the app. */
const NAV: Record<CourseRole, Array<{ key: string, href: string, label: string }>> = {
  instructor: [{ key: 'home', href: '/instructor', label: 'Home' }],
  mentor: [{ key: 'home', href: '/mentor', label: 'Home' }],
  student: [{ key: 'home', href: '/student', label: 'Home' }]
}

/** What every signed-in page's layout needs: who, which course, the navigation and the session token for links. */
export function pageContext (auth: Auth, title: string, current: string) {
  return {
    title,
    session: auth.token,
    user: auth.user,
    course: auth.course,
    roleLabel: ROLE_LABELS[auth.role],
    nav: NAV[auth.role].map((item) => ({ ...item, current: item.key === current }))
  }
}
