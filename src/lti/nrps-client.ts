import { z } from 'zod'
import { RosterSourceError } from '../domain/roster/ports'
import type { LtijsAdapter } from './ltijs-provider'
import { USER_AGENT } from './user-agent'

export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
export const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json'

/** One NRPS member; platforms add more fields (picture, lis_person_sourcedid, message...), which are ignored. */
const NrpsMember = z.object({
  user_id: z.string().min(1),
  roles: z.array(z.string()),
  status: z.enum(['Active', 'Inactive', 'Deleted']).default('Active'),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional()
})
export type NrpsMember = z.infer<typeof NrpsMember>

const MembershipContainer = z.object({ members: z.array(NrpsMember) })

export class NrpsError extends RosterSourceError {
  constructor (message: string, status?: number) {
    super(message, status)
    this.name = 'NrpsError'
  }
}

export interface NrpsEndpoint { issuer: string, clientId: string, membershipsUrl: string }
export interface NrpsProgress { pages: number, members: number, pagesTotal?: number }
export interface NrpsSnapshot { members: NrpsMember[], pages: number }

export interface NrpsClientOptions {
  tokens: Pick<LtijsAdapter, 'accessToken' | 'forgetAccessToken'>
  timeoutMs?: number
  /** Stops a platform whose `next` links never end. */
  maxPages?: number
}

export interface WalkOptions {
  onPage?: (progress: NrpsProgress) => Promise<void>
  signal?: AbortSignal
}

/** The URLs of a Link header by relation, e.g. `next`, resolved against the page that sent it. */
export function parseLinkHeader (header: string | null, base: string): Map<string, string> {
  const links = new Map<string, string>()
  for (const match of (header ?? '').matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const rel = /rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1]
    if (rel === undefined) continue
    for (const name of rel.trim().split(/\s+/)) links.set(name.toLowerCase(), new URL(match[1] ?? '', base).toString())
  }
  return links
}

const pageNumberOf = (url: string | undefined): number | undefined => {
  const page = Number(url === undefined ? NaN : new URL(url).searchParams.get('page'))
  return Number.isInteger(page) && page > 0 ? page : undefined
}

function describeIssue (error: z.ZodError): string {
  const issue = error.issues[0]
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'is invalid'}`
}

/**
 * Reads a whole course roster from Names and Role Provisioning Services 2.0, following `rel="next"` until it is
 * absent. Any failed page fails the whole walk, so callers only ever see complete snapshots. Roster sync's
 * `NamesAndRoles` port.
 */
export function createNrpsClient (options: NrpsClientOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000
  const maxPages = options.maxPages ?? 2000

  const get = async (url: string, token: string, signal?: AbortSignal): Promise<Response> => {
    const timeout = AbortSignal.timeout(timeoutMs)
    try {
      return await fetch(url, {
        headers: { accept: NRPS_MEDIA_TYPE, authorization: `Bearer ${token}`, 'user-agent': USER_AGENT },
        signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal])
      })
    } catch (err) {
      const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : signal?.aborted === true ? 'cancelled' : (err as Error).message
      throw new NrpsError(`Names and Roles request failed: ${reason}`)
    }
  }

  const tokenFor = async (endpoint: NrpsEndpoint): Promise<string> => {
    try {
      return await options.tokens.accessToken(endpoint.issuer, endpoint.clientId, [NRPS_SCOPE])
    } catch (err) {
      throw new NrpsError(`could not obtain an access token from the platform: ${(err as Error).message}`)
    }
  }

  return {
    walk: async (endpoint: NrpsEndpoint, walkOptions: WalkOptions = {}): Promise<NrpsSnapshot> => {
      const origin = new URL(endpoint.membershipsUrl).origin
      const members: NrpsMember[] = []
      const seen = new Set<string>()
      let token = await tokenFor(endpoint)
      let refreshed = false
      let url: string | undefined = endpoint.membershipsUrl
      while (url !== undefined) {
        const page = seen.size + 1
        if (seen.has(url) || page > maxPages) throw new NrpsError(`Names and Roles paging did not end after ${seen.size} pages`)
        seen.add(url)
        let res = await get(url, token, walkOptions.signal)
        if (res.status === 401 && !refreshed) {
          await options.tokens.forgetAccessToken(endpoint.issuer, endpoint.clientId, [NRPS_SCOPE])
          token = await tokenFor(endpoint)
          refreshed = true
          res = await get(url, token, walkOptions.signal)
        }
        if (!res.ok) throw new NrpsError(`Names and Roles page ${page} answered HTTP ${res.status}`, res.status)
        const body = await res.json().catch(() => undefined)
        const parsed = MembershipContainer.safeParse(body)
        if (!parsed.success) throw new NrpsError(`Names and Roles page ${page} is not a membership container (${describeIssue(parsed.error)})`)
        members.push(...parsed.data.members)

        const links = parseLinkHeader(res.headers.get('link'), url)
        url = links.get('next')
        // The bearer token must never be sent to a host other than the platform's.
        if (url !== undefined && new URL(url).origin !== origin) throw new NrpsError(`Names and Roles next page is on another host (${new URL(url).host})`)
        await walkOptions.onPage?.({ pages: page, members: members.length, pagesTotal: pageNumberOf(links.get('last')) })
      }
      return { members, pages: seen.size }
    }
  }
}

export type NrpsClient = ReturnType<typeof createNrpsClient>
