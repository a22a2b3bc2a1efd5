// vue-i18n in Composition mode; the locale follows the settings store at runtime.
import { createI18n } from 'vue-i18n'
import en, { type Messages } from './en'
import zhCN from './zh-CN'
import type { Locale } from '../stores/settings'

export const locales: Locale[] = ['en', 'zh-CN']

export function makeI18n(locale: Locale) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
    missingWarn: false,
    fallbackWarn: false
  })
}

export type AppI18n = ReturnType<typeof makeI18n>
