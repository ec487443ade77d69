/** Binary min-heap of (key, item) on growable typed arrays; stale duplicates are the caller's concern. */
export class MinHeap {
  size = 0
  private keys: Float64Array
  private items: Int32Array

  constructor (capacity = 1024) {
    this.keys = new Float64Array(capacity)
    this.items = new Int32Array(capacity)
  }

  clear (): void { this.size = 0 }

  push (key: number, item: number): void {
    if (this.size === this.keys.length) this.grow()
    const { keys, items } = this
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! <= key) break
      keys[i] = keys[parent]!
      items[i] = items[parent]!
      i = parent
    }
    keys[i] = key
    items[i] = item
  }

  /** Removes the minimum and returns its item. */
  pop (): number {
    const { keys, items } = this
    const top = items[0]!
    const size = --this.size
    const key = keys[size]!
    const item = items[size]!
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= size) break
      if (child + 1 < size && keys[child + 1]! < keys[child]!) child++
      if (keys[child]! >= key) break
      keys[i] = keys[child]!
      items[i] = items[child]!
      i = child
    }
    keys[i] = key
    items[i] = item
    return top
  }

  private grow (): void {
    const keys = new Float64Array(this.keys.length * 2)
    const items = new Int32Array(this.items.length * 2)
    keys.set(this.keys)
    items.set(this.items)
    this.keys = keys
    this.items = items
  }
}
