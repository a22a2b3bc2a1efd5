import { describe, expect, it } from 'vitest'
import { methods } from '../src/shared/contract'

describe('contract schemas', () => {
  it('reject unknown keys and wrong types', () => {
    expect(methods['view.rows'].args.safeParse({ start: 0, count: 10 }).success).toBe(true)
    expect(methods['view.rows'].args.safeParse({ start: -1, count: 10 }).success).toBe(false)
    expect(methods['view.rows'].args.safeParse({ start: 0, count: 10, extra: 1 }).success).toBe(false)
    expect(methods['capture.start'].args.parse({ iface: 'lo' })).toEqual({ iface: 'lo', filter: '' })
  })
})
