// libpcap says what is wrong with a capture filter but not where. These heuristics point at
// the spot for the mistakes people actually make; when none applies we give no position
// rather than a wrong one.
import { CaptureError } from './errors'

/** Keywords that need an argument after them (pcap-filter(7)). */
const NEEDS_ARG = new Set(['host', 'net', 'port', 'portrange', 'proto', 'len', 'less', 'greater', 'mask', 'gateway', 'vlan', 'mpls', 'ether', 'src', 'dst'])
const OPERATORS = new Set(['and', 'or', 'not', '&&', '||', '!'])

interface Token {
  text: string
  pos: number
}

function tokens(filter: string): Token[] {
  const out: Token[] = []
  const re = /&&|\|\||[()!]|[^\s()!&|]+/g
  for (let m = re.exec(filter); m !== null; m = re.exec(filter)) out.push({ text: m[0], pos: m.index })
  return out
}

/** Best guess of where `filter` is wrong given libpcap's `message`, or undefined. */
export function locateFilterError(filter: string, message: string): number | undefined {
  // Messages that quote the offending word: unknown host 'x', unknown port 'x', unknown network 'x' ...
  const quoted = /'([^']+)'/.exec(message)
  if (quoted?.[1] !== undefined) {
    const at = filter.indexOf(quoted[1])
    if (at >= 0) return at
  }
  // illegal port number 99999 > 65535, illegal link layer address, ...
  const number = /\b(\d+)\s*>\s*\d+/.exec(message)
  if (number?.[1] !== undefined) {
    const at = findToken(filter, number[1])
    if (at !== undefined) return at
  }
  const toks = tokens(filter)
  // Unbalanced parentheses.
  const open: number[] = []
  for (const t of toks) {
    if (t.text === '(') open.push(t.pos)
    else if (t.text === ')' && open.pop() === undefined) return t.pos
  }
  if (open.length > 0) return open[open.length - 1]
  if (/syntax error/i.test(message)) {
    const field = displayFilterField(toks)
    if (field !== undefined) return field.pos
    const last = toks[toks.length - 1]
    // An expression that stops after a keyword or operator: the error is at the end.
    if (last !== undefined && (NEEDS_ARG.has(last.text) || OPERATORS.has(last.text))) return filter.trimEnd().length
    // Two primitives with no operator between them is legal in pcap ("tcp port 80" is one), so
    // beyond this we cannot tell.
  }
  return undefined
}

const PROTOCOLS = /^(eth|ip|ipv6|tcp|udp|icmp|icmpv6|arp|dns|http|http2|tls|ssl|frame|sctp|quic|dhcp|ntp)\.[a-z]/i

/** A Wireshark display-filter field (tcp.port) where a capture filter was expected. */
function displayFilterField(toks: Token[]): Token | undefined {
  return toks.find((t) => PROTOCOLS.test(t.text))
}

function findToken(filter: string, text: string): number | undefined {
  for (const t of tokens(filter)) if (t.text === text) return t.pos
  return undefined
}

export function badFilterError(filter: string, libpcapText: string): CaptureError {
  const pos = locateFilterError(filter, libpcapText)
  const field = /syntax error/i.test(libpcapText) ? displayFilterField(tokens(filter)) : undefined
  const hint =
    field === undefined
      ? 'Capture filters use libpcap syntax (pcap-filter(7)), e.g. "tcp port 443 and host 127.0.0.1"; display filters such as "tcp.port == 443" are not capture filters.'
      : `"${field.text}" is a display-filter field; capture filters use libpcap syntax (pcap-filter(7)): write e.g. "tcp port 443" instead of "tcp.port == 443".`
  const where = pos === undefined ? '' : ` at character ${pos + 1}`
  const caret = pos === undefined ? '' : `\n  ${filter}\n  ${' '.repeat(pos)}^`
  return new CaptureError({
    code: 'bad-filter',
    message: `The capture filter is not valid${where}: ${libpcapText}`,
    fix: `${hint}${caret}`,
    detail: libpcapText,
    ...(pos === undefined ? {} : { pos })
  })
}
