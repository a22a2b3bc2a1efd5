// Test helpers: a fresh Pinia + i18n + fake API per test.
import { mount, flushPromises, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Component } from 'vue'
import { setApi } from '../api/current'
import { makeI18n } from '../i18n'
import { FakeApi, type FakeOptions } from './fakeApi'
import type { Locale } from '../stores/settings'

export interface TestEnv {
  api: FakeApi
  pinia: Pinia
  i18n: ReturnType<typeof makeI18n>
}

export function setupEnv(opts: FakeOptions & { locale?: Locale } = {}): TestEnv {
  globalThis.localStorage?.clear()
  const api = new FakeApi({ packets: 5_000_000, ...opts })
  setApi(api)
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = makeI18n(opts.locale ?? 'en')
  return { api, pinia, i18n }
}

export function mountIn<C extends Component>(env: TestEnv, component: C, options: ComponentMountingOptions<C> = {} as ComponentMountingOptions<C>) {
  return mount(component, { ...options, global: { plugins: [env.pinia, env.i18n], ...(options.global ?? {}) } } as ComponentMountingOptions<C>)
}

/** Lets the fake API's replies (microtasks) and Vue's updates run. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await flushPromises()
}
