// The field registry: every decoded value is a node that names a registered field, the way
// Wireshark's header-field (hf) registrations work. The registry gives each field its title
// (for the details tree), its type (for display-filter comparisons) and its rendering in
// `tshark -T fields` format (for the CLI).

export type FieldType =
  | 'protocol' // a protocol's subtree root, e.g. "tcp"; value-less
  | 'none' // a text-only label node
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint24'
  | 'uint32'
  | 'uint64' // value is a bigint
  | 'int32'
  | 'double'
  | 'ipv4' // value: dotted string "10.0.0.1"
  | 'ipv6' // value: RFC 5952 string "2001:db8::1"
  | 'ether' // value: "00:11:22:33:44:55"
  | 'string'
  | 'bytes' // value: Uint8Array
  | 'abstime' // value: { sec, nsec }
  | 'reltime' // value: seconds as number
  | 'framenum'

export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct'

export interface FieldDef {
  name: string
  title: string
  type: FieldType
  base?: Base
  /** Value strings, as Wireshark's VALS: shown in labels as "Name (0x0800)". */
  strings?: Readonly<Record<number, string>>
  /** Bit mask within the containing integer, for flag sub-fields (shown as ".... ..1. = ..."). */
  mask?: number
  /** Width in bits of the containing integer for mask display. */
  maskBits?: number
}

export interface AbsTime {
  sec: number
  nsec: number
}

export type FieldValue = number | bigint | string | boolean | Uint8Array | AbsTime | null

export interface Expert {
  severity: 'chat' | 'note' | 'warn' | 'error'
  /** Wireshark's expert group, e.g. "malformed", "sequence", "protocol". */
  group: string
  message: string
}

export interface FieldNode {
  /** A registered field or protocol name (`tcp.seq_raw`, `tcp`), or '' for a text-only line. */
  name: string
  /** Byte offset in the frame and length: what the byte pane highlights. */
  off: number
  len: number
  value?: FieldValue
  /** Explicit display line; when absent the label is built from the registry title and the value. */
  label?: string
  children?: FieldNode[]
  expert?: Expert
  /** Present for filters and `-T fields` but not drawn in the tree (Wireshark's hidden fields: ip.addr, tcp.port). */
  hidden?: boolean
}

const registry = new Map<string, FieldDef>()

/** Registers a field (idempotent for identical definitions) and returns its definition. */
export function defineField(name: string, title: string, type: FieldType, opts: Omit<FieldDef, 'name' | 'title' | 'type'> = {}): FieldDef {
  const existing = registry.get(name)
  if (existing) return existing
  const def: FieldDef = { name, title, type, ...opts }
  registry.set(name, def)
  return def
}

export function lookupField(name: string): FieldDef | undefined {
  return registry.get(name)
}

export function allFields(): IterableIterator<FieldDef> {
  return registry.values()
}

/** Builds a node for a registered field. Hot path: no string work here, labels are made lazily. */
export function node(def: FieldDef, off: number, len: number, value?: FieldValue, children?: FieldNode[]): FieldNode {
  const n: FieldNode = { name: def.name, off, len }
  if (value !== undefined) n.value = value
  if (children) n.children = children
  return n
}
