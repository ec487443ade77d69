import type { SimCourse, SimUser } from '@mentorlink/simulator'

const person = (id: string, givenName: string, familyName: string): SimUser => ({
  id, givenName, familyName, name: `${givenName} ${familyName}`, email: `${givenName}.${familyName}@demo.mentorlink.test`.toLowerCase()
})

export const DEMO_INSTRUCTOR_ID = 'demo-instructor'

/**
 * A small course to click through: one instructor, three LMS mentors, twelve students (executives on a part-time
 * programme). What Mentorlink knows of them before anyone launches is in demo-seed-data.ts.
 */
export const DEMO_USERS: SimUser[] = [
  person(DEMO_INSTRUCTOR_ID, 'Amara', 'Okafor'),
  person('demo-mentor-1', 'Daniel', 'Reyes'),
  person('demo-mentor-2', 'Helena', 'Berg'),
  person('demo-mentor-3', 'Kwame', 'Mensah'),
  person('demo-student-1', 'Lucia', 'Ferreira'),
  person('demo-student-2', 'Tomasz', 'Nowak'),
  person('demo-student-3', 'Priya', 'Raman'),
  person('demo-student-4', 'Jonas', 'Keller'),
  person('demo-student-5', 'Mei', 'Tanaka'),
  person('demo-student-6', 'Samuel', 'Adeyemi'),
  person('demo-student-7', 'Sofia', 'Lindqvist'),
  person('demo-student-8', 'Omar', 'Haddad'),
  person('demo-student-9', 'Chloe', 'Martin'),
  person('demo-student-10', 'Rafael', 'Costa'),
  person('demo-student-11', 'Aisha', 'Bello'),
  person('demo-student-12', 'Ethan', 'Walker')
]

export const DEMO_COURSE: SimCourse = {
  id: 'demo-course-mgt540',
  label: 'MGT 540',
  title: 'MGT 540 Executive Mentoring',
  custom: { term_start: '2027-01-11', term_end: '2027-05-07' },
  members: DEMO_USERS.map((u) => ({
    userId: u.id,
    roles: u.id.includes('instructor') ? ['Instructor'] : u.id.includes('mentor') ? ['Mentor'] : ['Learner'],
    status: 'Active'
  }))
}

export const DEMO_CLIENT_ID = 'mentorlink-demo'
export const DEMO_DEPLOYMENT_ID = 'demo-deployment-1'
