/** How a person wants a kind of email: each as it happens, collected into one email a day, or not at all. */
export const DELIVERY_MODES = ['immediately', 'digest', 'off'] as const
export type DeliveryMode = typeof DELIVERY_MODES[number]
export const DELIVERY_MODE_LABELS: Record<DeliveryMode, string> = { immediately: 'As it happens', digest: 'In a daily summary', off: 'Never' }
