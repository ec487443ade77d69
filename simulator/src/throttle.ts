import type { ThrottleOptions } from './profiles'

interface Bucket { level: number, at: number }

/**
 * Canvas's request throttling: a leaky bucket per key (for LTI Advantage calls, the developer key). A request is
 * charged an up-front cost when it starts, refused if that overflows the bucket, and charged its real cost when it
 * ends; the bucket drains at a constant rate.
 */
export class LeakyBuckets {
  private readonly buckets = new Map<string, Bucket>()

  constructor (readonly options: ThrottleOptions, private readonly now: () => number = Date.now) {}

  /** Charges the up-front cost, or returns false (charging nothing) when the bucket would overflow. */
  admit (key: string): boolean {
    const bucket = this.drained(key)
    if (bucket.level + this.options.upFrontCost > this.options.highWaterMark) return false
    bucket.level += this.options.upFrontCost
    return true
  }

  /** Replaces an admitted request's up-front cost by its real cost; returns that cost. */
  settle (key: string): number {
    const bucket = this.drained(key)
    bucket.level = Math.max(0, bucket.level - this.options.upFrontCost + this.options.requestCost)
    return this.options.requestCost
  }

  remaining (key: string): number {
    return Math.max(0, this.options.highWaterMark - this.drained(key).level)
  }

  private drained (key: string): Bucket {
    const at = this.now()
    let bucket = this.buckets.get(key)
    if (bucket === undefined) this.buckets.set(key, bucket = { level: 0, at })
    bucket.level = Math.max(0, bucket.level - (at - bucket.at) / 1000 * this.options.leakPerSecond)
    bucket.at = at
    return bucket
  }
}
