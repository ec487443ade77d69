import type { DeliveryMode } from './vocabulary'

/**
 * The kinds of email Mentorlink sends. A person can turn off any kind that is not `transactional` (one click in the
 * email itself, or on their notification settings), or have it collected into one email a day (`digest`);
 * transactional ones answer something the person asked for, such as a sign-in link, and always go at once.
 * `usual` is how a kind goes until the person chooses; `who` says on the settings page whom it concerns.
 */
export const EMAIL_KINDS = {
  pairing: { label: 'who you are paired with', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  verification: { label: 'entries waiting for your verification', transactional: false, usual: 'digest', who: ['mentor'] },
  returned: { label: 'entries your mentor returned to you', transactional: false, usual: 'immediately', who: ['student'] },
  trip: { label: 'field trips you are invited to, and reminders the day before', transactional: false, usual: 'immediately', who: ['student'] },
  intake: { label: 'reminders to fill in your intake before pairing', transactional: false, usual: 'immediately', who: ['student'] },
  milestone: { label: 'course milestones a few days before', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  completion: { label: 'completing the mentoring programme', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  weekly: { label: 'the weekly summary of your course', transactional: false, usual: 'immediately', who: ['instructor'] },
  quiet: { label: 'reminders when you and your mentor or mentee have recorded nothing for a while', transactional: false, usual: 'immediately', who: ['student', 'mentor'] },
  digest: { label: 'daily summaries', transactional: false, usual: 'immediately', who: [] },
  'sign-in': { label: 'sign-in links', transactional: true, usual: 'immediately', who: [] },
  invitation: { label: 'invitations to mentor', transactional: true, usual: 'immediately', who: [] }
} as const satisfies Record<string, { label: string, transactional: boolean, usual: DeliveryMode, who: readonly string[] }>

export type EmailKind = keyof typeof EMAIL_KINDS

export const isEmailKind = (kind: string): kind is EmailKind => Object.hasOwn(EMAIL_KINDS, kind)

/** The kinds of notice a person may choose how to receive (and a course may stop sending). */
export const CHOOSABLE_KINDS = (Object.keys(EMAIL_KINDS) as EmailKind[]).filter((k) => EMAIL_KINDS[k].who.length > 0)
