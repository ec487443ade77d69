import { lookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Which addresses dynamic registration may call. A registration URL makes Mentorlink's server fetch whatever URLs it
 * names, so in production only public internet addresses are called unless the administrator allows more.
 */
export interface PlatformNetworkPolicy {
  /** Private networks and loopback (an LMS on the campus network, the simulator on 127.0.0.1). */
  allowPrivateNetworks: boolean
  /** Host names, addresses and CIDR blocks called whatever their addresses (an on-premises LMS). */
  allowedHosts: readonly string[]
}

type Family = 'ipv4' | 'ipv6'
const familyOf = (address: string): Family | null => isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : null

const blockListOf = (ranges: ReadonlyArray<readonly [string, number]>): BlockList => {
  const list = new BlockList()
  for (const [network, prefix] of ranges) {
    const family = familyOf(network)
    if (family !== null) list.addSubnet(network, prefix, family)
  }
  return list
}

/** Private networks and loopback: refused unless `allowPrivateNetworks`. (IPv4-mapped IPv6 addresses match too.) */
const PRIVATE = blockListOf([
  ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['127.0.0.0', 8], ['100.64.0.0', 10],
  ['fc00::', 7], ['::1', 128]
])

/**
 * Neither public nor a private network: unspecified, link-local (cloud metadata services live at 169.254.169.254),
 * documentation, benchmarking, multicast, reserved, and IPv6 forms that carry an IPv4 address (NAT64, 6to4, Teredo).
 * Refused unless listed in `allowedHosts`.
 */
const RESERVED = blockListOf([
  ['0.0.0.0', 8], ['169.254.0.0', 16], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ['::', 128], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2001::', 32], ['2001:db8::', 32], ['2002::', 16],
  ['100::', 64]
])

export class RefusedAddress extends Error {
  constructor (readonly host: string, readonly address: string) {
    super(`${host} resolves to ${address}, which is not a public internet address`)
    this.name = 'RefusedAddress'
  }
}

/** Whether an address may be called under the policy, given whether its host name was allowed by name. */
export function createAddressCheck (policy: PlatformNetworkPolicy) {
  const names = new Set<string>()
  const allowed = new BlockList()
  for (const entry of policy.allowedHosts) {
    const [network = '', prefix] = entry.split('/')
    const family = familyOf(network)
    if (family === null) names.add(entry.toLowerCase())
    else if (prefix === undefined) allowed.addAddress(network, family)
    else allowed.addSubnet(network, Number(prefix), family)
  }
  return {
    hostAllowed: (host: string): boolean => names.has(host.toLowerCase()),
    addressAllowed: (address: string): boolean => {
      const family = familyOf(address)
      if (family === null) return false
      if (allowed.check(address, family)) return true
      if (RESERVED.check(address, family)) return false
      return policy.allowPrivateNetworks || !PRIVATE.check(address, family)
    }
  }
}

/** The answer of a platform: status and body, read up to a limit. */
export interface PlatformAnswer { status: number, text: string }

export interface PlatformRequest { method: 'GET' | 'POST', headers: Record<string, string>, body?: string, timeoutMs: number }

const MAX_ANSWER_BYTES = 1024 * 1024

/**
 * Requests `url` from a platform under the policy. Every address the host name resolves to is checked, and the
 * connection goes to the addresses checked (the lookup is the connection's own), so a DNS answer that changes between
 * a check and the connection (DNS rebinding) cannot reach a refused address. Redirects are not followed: a 3xx is
 * answered like any status. Refusals throw `RefusedAddress`; network failures throw as Node reports them.
 */
export function createPlatformRequester (policy: PlatformNetworkPolicy) {
  const check = createAddressCheck(policy)
  return async (url: string, request: PlatformRequest): Promise<PlatformAnswer> => {
    const target = new URL(url)
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1')
    const byName = check.hostAllowed(host)
    // An address in the URL is never looked up: check it here.
    if (familyOf(host) !== null && !byName && !check.addressAllowed(host)) throw new RefusedAddress(host, host)
    const checkedLookup: LookupFunction = (hostname, options, callback) => {
      lookup(hostname, { all: true, verbatim: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
        if (err) { callback(err, '', 0); return }
        const refused = byName ? undefined : addresses.find((a) => !check.addressAllowed(a.address))
        if (refused !== undefined || addresses.length === 0) { callback(new RefusedAddress(hostname, refused?.address ?? 'no address'), '', 0); return }
        if (options.all === true) (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses)
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4)
      })
    }
    const client = target.protocol === 'https:' ? https : http
    return await new Promise<PlatformAnswer>((resolve, reject) => {
      const req = client.request(target, { method: request.method, headers: request.headers, lookup: checkedLookup, agent: false }, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`))
          else chunks.push(chunk)
        })
        res.on('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }) })
        res.on('error', (err) => { clearTimeout(timer); reject(err) })
      })
      const timer = setTimeout(() => { req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)) }, request.timeoutMs)
      req.on('error', (err) => { clearTimeout(timer); reject(err) })
      req.end(request.body)
    })
  }
}

export type PlatformRequester = ReturnType<typeof createPlatformRequester>
