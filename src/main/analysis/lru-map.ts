// A Map that keeps at most `limit` entries: a hit moves the entry to the young end, and setting
// a new key beyond the limit drops the entry unused the longest. For per-connection state whose
// connections come and go (QUIC), so a long capture cannot grow it without bound.
export class LruMap<K, V> {
  private readonly m = new Map<K, V>()

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    const v = this.m.get(key)
    if (v !== undefined && this.m.size > 1) {
      this.m.delete(key)
      this.m.set(key, v)
    }
    return v
  }

  set(key: K, value: V): this {
    this.m.delete(key)
    this.m.set(key, value)
    if (this.m.size > this.limit) {
      const oldest = this.m.keys().next()
      if (!oldest.done) this.m.delete(oldest.value)
    }
    return this
  }

  get size(): number {
    return this.m.size
  }

  clear(): void {
    this.m.clear()
  }
}
