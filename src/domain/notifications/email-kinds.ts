/**
 * The kinds of email Mentorlink sends. A person can turn off any kind that is not `transactional` (one click in the
 * email itself); transactional ones answer something the person asked for, such as a sign-in link.
 */
export const EMAIL_KINDS = {
  pairing: { label: 'who you are paired with', transactional: false },
  returned: { label: 'entries your mentor returned to you', transactional: false },
  trip: { label: 'field trips you are invited to', transactional: false },
  'sign-in': { label: 'sign-in links', transactional: true },
  invitation: { label: 'invitations to mentor', transactional: true }
} as const satisfies Record<string, { label: string, transactional: boolean }>

export type EmailKind = keyof typeof EMAIL_KINDS

export const isEmailKind = (kind: string): kind is EmailKind => Object.hasOwn(EMAIL_KINDS, kind)
