import { describe, expect, it } from 'vitest'
import { errorCode, errorMessage } from './errors'
import { RpcError } from './ws'

describe('errorCode / errorMessage', () => {
  it('read the contract code and message from either transport', () => {
    expect(errorCode(new RpcError('"/x" already exists.', 'exists'))).toBe('exists')
    const preload = Object.assign(new Error('"/x" already exists.'), { code: 'exists' })
    expect(errorCode(preload)).toBe('exists')
    expect(errorMessage(preload)).toBe('"/x" already exists.')
    const plain = { message: '"/x" already exists.', code: 'exists' }
    expect(errorCode(plain)).toBe('exists')
    expect(errorMessage(plain)).toBe('"/x" already exists.')
    expect(errorCode(new Error('no code'))).toBeUndefined()
    expect(errorCode('exists')).toBeUndefined()
    expect(errorMessage('boom')).toBe('boom')
  })
})
