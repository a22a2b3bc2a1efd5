// The field registry: every decoded value is a node that names a registered field, the way
// Wireshark's header-field (hf) registrations work. The registry gives each field its title
// (for the details tree), its type (for display-filter comparisons) and its rendering in
// `tshark -T fields` format (for the CLI, see format.ts). Labels are built lazily from it
// (label.ts), so tree mode pays for strings only when a line is actually shown.

export type FieldType =
  | 'protocol' // a protocol's subtree root, e.g. "tcp"; value-less
  | 'none' // a text-only label node
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint24'
  | 'uint32'
  | 'uint64' // value is a bigint
  | 'int8'
  | 'int16'
  | 'int32'
  | 'double'
  | 'ipv4' // value: dotted string "10.0.0.1"
  | 'ipv6' // value: RFC 5952 string "2001:db8::1"
  | 'ether' // value: "00:11:22:33:44:55"
  | 'string'
  | 'bytes' // value: Uint8Array
  | 'abstime' // value: { sec, nsec }
  | 'reltime' // value: seconds as number, or { sec, nsec } when nanoseconds matter
  | 'framenum'

/** Integer display bases (Wireshark's BASE_*); 'oui' shows a 24-bit value as 00:00:0c. */
export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct' | 'oui'

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
  /** Booleans: the [true, false] words of the label (Wireshark's TFS), default ["True", "False"]. */
  tfs?: readonly [string, string]
  /** Appended to the value in labels, e.g. " seconds" (Wireshark's BASE_UNIT_STRING). */
  unit?: string
  /** abstime only: shown as seconds since the epoch ("1277840495.135052000", frame.time_epoch) rather than as a UTC date. */
  epoch?: boolean
  /**
   * Custom line for nodes of this field (Wireshark's BASE_CUSTOM and *_format() lines), built
   * from the node only when the line is shown, so dissection pays no string work for it. An
   * explicit node.label still wins.
   */
  labeler?: (n: FieldNode) => string
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
  /**
   * Byte offset in the frame and length: what the byte pane highlights. -1/0 for a node that has
   * no bytes in this frame (generated values, data of a reassembled datagram carried by earlier frames).
   */
  off: number
  len: number
  value?: FieldValue
  /** Explicit display line; when absent the label is built from the registry title and the value. */
  label?: string
  children?: FieldNode[]
  expert?: Expert
  /** Present for filters and `-T fields` but not drawn in the tree (Wireshark's hidden fields: ip.addr, tcp.port). */
  hidden?: boolean
  /** Computed rather than read from the wire: drawn in [brackets], as Wireshark does. */
  generated?: boolean
}

const registry = new Map<string, FieldDef>()

/** Registers a field (idempotent for identical definitions) and returns its definition. */
export function defineField(name: string, title: string, type: FieldType, opts: Omit<FieldDef, 'name' | 'title' | 'type'> = {}): FieldDef {
  const existing = registry.get(name)
  if (existing) return existing
  const def: FieldDef = { name, title, type, ...opts }
  if (def.mask !== undefined && def.maskBits === undefined) def.maskBits = typeBits(type)
  registry.set(name, def)
  return def
}

/** Registers a protocol (the root of its subtree and the name in frame.protocols). */
export function defineProtocol(name: string, title: string): FieldDef {
  return defineField(name, title, 'protocol')
}

export function lookupField(name: string): FieldDef | undefined {
  return registry.get(name)
}

export function allFields(): IterableIterator<FieldDef> {
  return registry.values()
}

/** Width in bits of an integer field type (what a mask is drawn against). */
export function typeBits(type: FieldType): number {
  switch (type) {
    case 'uint8':
    case 'int8':
      return 8
    case 'uint16':
    case 'int16':
      return 16
    case 'uint24':
      return 24
    case 'uint64':
      return 64
    default:
      return 32
  }
}

/** Builds a node for a registered field. Hot path: no string work here, labels are made lazily. */
export function node(def: FieldDef, off: number, len: number, value?: FieldValue, children?: FieldNode[]): FieldNode {
  const n: FieldNode = { name: def.name, off, len }
  if (value !== undefined) n.value = value
  if (children) n.children = children
  return n
}

/** Appends a field node to `parent` and returns it (tree mode only). */
export function add(parent: FieldNode, def: FieldDef, off: number, len: number, value?: FieldValue): FieldNode {
  const n: FieldNode = { name: def.name, off, len }
  if (value !== undefined) n.value = value
  const c = parent.children
  if (c) c.push(n)
  else parent.children = [n]
  return n
}

/** Appends a hidden field (for filters and `-T fields` only), e.g. ip.addr. */
export function addHidden(parent: FieldNode, def: FieldDef, off: number, len: number, value?: FieldValue): FieldNode {
  const n = add(parent, def, off, len, value)
  n.hidden = true
  return n
}

/** Appends a generated field, drawn as "[Title: value]". */
export function addGenerated(parent: FieldNode, def: FieldDef, off: number, len: number, value?: FieldValue): FieldNode {
  const n = add(parent, def, off, len, value)
  n.generated = true
  return n
}

/** Appends a text-only line. */
export function addText(parent: FieldNode, label: string, off: number, len: number): FieldNode {
  const n: FieldNode = { name: '', off, len, label }
  const c = parent.children
  if (c) c.push(n)
  else parent.children = [n]
  return n
}

/**
 * Attaches an expert note to a node (Wireshark's expert info). A node has one; a second note
 * becomes a text child carrying it, so none is lost.
 */
export function addExpert(n: FieldNode, severity: Expert['severity'], group: string, message: string): void {
  const e: Expert = { severity, group, message }
  if (!n.expert) n.expert = e
  else addText(n, message, n.off, n.len).expert = e
}

/** Every node with this field name, in tree order (hidden ones included): what `-T fields` prints. */
export function findAll(nodes: readonly FieldNode[], name: string, out: FieldNode[] = []): FieldNode[] {
  for (const n of nodes) {
    if (n.name === name) out.push(n)
    if (n.children) findAll(n.children, name, out)
  }
  return out
}

/** Common true/false words (Wireshark's tfs_set_notset, tfs_yes_no). */
export const TFS_SET: readonly [string, string] = ['Set', 'Not set']
export const TFS_YES_NO: readonly [string, string] = ['Yes', 'No']
