export default async function globalTeardown (): Promise<void> {
  await Promise.all([globalThis.__MENTORLINK_DB__?.stop(), globalThis.__MENTORLINK_MAILPIT__?.stop()])
}
