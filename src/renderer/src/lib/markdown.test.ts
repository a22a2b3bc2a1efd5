// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { parseInline, parseMarkdown } from './markdown'
import MarkdownView from '../components/MarkdownView.vue'

describe('markdown subset', () => {
  it('parses blocks and inline marks', () => {
    expect(parseMarkdown('# Title\n\nSome **bold** and `code`.\n\n- a\n- b\n\n```\nraw <b>\n```')).toEqual([
      { t: 'h', level: 1, c: [{ t: 'text', v: 'Title' }] },
      { t: 'p', c: [{ t: 'text', v: 'Some ' }, { t: 'strong', c: [{ t: 'text', v: 'bold' }] }, { t: 'text', v: ' and ' }, { t: 'code', v: 'code' }, { t: 'text', v: '.' }] },
      { t: 'ul', items: [[{ t: 'text', v: 'a' }], [{ t: 'text', v: 'b' }]] },
      { t: 'pre', v: 'raw <b>' }
    ])
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ t: 'link', c: [{ t: 'text', v: 'x' }], href: 'javascript:alert(1' }, { t: 'text', v: ')' }])
  })

  it('renders HTML and link targets as inert text', () => {
    const w = mount(MarkdownView, { props: { source: '<img src=x onerror=alert(1)> **<script>bad()</script>** [click](javascript:alert(1))' } })
    expect(w.find('img').exists()).toBe(false)
    expect(w.find('script').exists()).toBe(false)
    expect(w.find('a').exists()).toBe(false)
    expect(w.text()).toContain('<img src=x onerror=alert(1)>')
    expect(w.find('strong').text()).toBe('<script>bad()</script>')
    expect(w.text()).toContain('<javascript:alert(1>')
  })
})
