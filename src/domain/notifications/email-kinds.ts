import { DELIVERY_MODES, type DeliveryMode } from './vocabulary'

/**
 * The kinds of email Mentorlink sends. A person can turn off any kind that is not `transactional` (one click in the
 * email itself, or on their notification settings), or have it collected into one email a day (`digest`);
 * transactional ones answer something the person asked for, such as a sign-in link, and always go at once.
 * `usual` is how a kind goes until the person chooses; `who` says on the settings page whom it concerns, `label` how
 * they read it (per role where it differs), and `course` how the instructor reads it when choosing what the course sends.
 * A kind that is a `summary` itself is never put in the daily summary.
 */
export const EMAIL_KINDS = {
  pairing: { label: 'who you are paired with', course: 'Who is paired with whom (to students and mentors)', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  verification: { label: 'entries waiting for your verification', course: 'Entries waiting for verification (to mentors)', transactional: false, usual: 'digest', who: ['mentor'] },
  returned: { label: 'entries your mentor returned to you', course: 'Entries a mentor returned with a comment (to the student)', transactional: false, usual: 'immediately', who: ['student'] },
  trip: { label: 'field trips you are invited to, seats from a waitlist, and reminders the day before', course: 'Field trip invitations, changes, seats from a waitlist and reminders (to invited students)', transactional: false, usual: 'immediately', who: ['student'] },
  session: { label: '1:1 sessions booked, moved or cancelled with you', course: '1:1 session bookings, moves and cancellations (to the other person)', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  intake: { label: 'reminders to fill in your intake before pairing', course: 'Your reminders to fill in the intake (to students)', transactional: false, usual: 'immediately', who: ['student'] },
  milestone: { label: 'course milestones a few days before', course: 'Milestones three days ahead (to students and mentors)', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  assessment: { label: 'assessments to submit, a few days before they are due', course: 'Assessments due in three days (to students and mentors who have not submitted)', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  completion: { label: 'completing the mentoring programme', course: 'Completion of the programme (to the student and their mentor)', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  weekly: { label: 'the weekly summary of your course', course: 'The weekly summary (to instructors)', transactional: false, usual: 'immediately', who: ['instructor'], summary: true },
  quiet: {
    label: { student: 'reminders when you and your mentor have recorded nothing for a while', mentor: 'reminders when you and a mentee have recorded nothing for a while' },
    course: 'Nudges to pairs that recorded nothing for a while (to both)',
    transactional: false, usual: 'immediately', who: ['student', 'mentor']
  },
  digest: { label: 'daily summaries', course: 'Daily summaries', transactional: false, usual: 'immediately', who: [] },
  'sign-in': { label: 'sign-in links', course: 'Sign-in links', transactional: true, usual: 'immediately', who: [] },
  invitation: { label: 'invitations to mentor', course: 'Invitations to mentor', transactional: true, usual: 'immediately', who: [] }
} as const satisfies Record<string, { label: string | Partial<Record<'student' | 'mentor' | 'instructor', string>>, course: string, transactional: boolean, usual: DeliveryMode, who: readonly string[], summary?: boolean }>

/** The ways a person may choose to receive a kind. */
export const modesOf = (kind: EmailKind): DeliveryMode[] =>
  'summary' in EMAIL_KINDS[kind] ? DELIVERY_MODES.filter((m) => m !== 'digest') : [...DELIVERY_MODES]

/** How a person in a role reads a kind (an email's unsubscribe line uses the first wording when it differs). */
export function kindLabel (kind: EmailKind, role?: 'student' | 'mentor' | 'instructor'): string {
  const label: string | Partial<Record<string, string>> = EMAIL_KINDS[kind].label
  if (typeof label === 'string') return label
  return (role === undefined ? undefined : label[role]) ?? Object.values(label)[0] ?? kind
}

export type EmailKind = keyof typeof EMAIL_KINDS

export const isEmailKind = (kind: string): kind is EmailKind => Object.hasOwn(EMAIL_KINDS, kind)

/** The kinds of notice a person may choose how to receive (and a course may stop sending). */
export const CHOOSABLE_KINDS = (Object.keys(EMAIL_KINDS) as EmailKind[]).filter((k) => EMAIL_KINDS[k].who.length > 0)
