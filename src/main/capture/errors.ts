// The errors users hit when capturing, each with a stable code, a message that says what went
// wrong, and the exact fix for their platform. Both the helper (which sees libpcap's text) and
// the controller (which sees the helper die) build them here so the wording lives in one place.

export type CaptureErrorCode =
  /** No CAP_NET_RAW (Linux), no access to /dev/bpf* (macOS), Npcap admin-only (Windows). */
  | 'permission'
  | 'unknown-interface'
  /** libpcap rejected the capture filter. */
  | 'bad-filter'
  /** The interface went down or disappeared during the capture. */
  | 'interface-down'
  /** ENOSPC/EDQUOT while writing the spool: the capture stopped, the spool keeps every whole block. */
  | 'disk-full'
  /** Any other failure creating or writing the spool file. */
  | 'spool-io'
  /** libpcap / Npcap is not installed, or the native `cap` addon cannot load. */
  | 'capture-library-missing'
  /** The helper could not be started or died without saying why. */
  | 'helper-failed'
  /** start() while a capture runs, stop() while none does, bad arguments. */
  | 'invalid-state'

export interface CaptureErrorInfo {
  code: CaptureErrorCode
  /** One line: what went wrong. */
  message: string
  /** What to do about it, for this platform (may span lines; may be ''). */
  fix: string
  /** The underlying text (libpcap's message, errno, stderr tail). */
  detail: string
  /** bad-filter: 0-based position in the filter text, when it could be found. */
  pos?: number
  /** unknown-interface: the interfaces that do exist. */
  interfaces?: string[]
}

export class CaptureError extends Error implements CaptureErrorInfo {
  readonly code: CaptureErrorCode
  readonly fix: string
  readonly detail: string
  readonly pos?: number
  readonly interfaces?: string[]

  constructor(info: CaptureErrorInfo) {
    super(info.message)
    this.name = 'CaptureError'
    this.code = info.code
    this.fix = info.fix
    this.detail = info.detail
    if (info.pos !== undefined) this.pos = info.pos
    if (info.interfaces !== undefined) this.interfaces = info.interfaces
  }

  /** Message and fix together, as a dialog or the CLI shows them. */
  get userText(): string {
    return this.fix === '' ? this.message : `${this.message}\n${this.fix}`
  }

  toInfo(): CaptureErrorInfo {
    const info: CaptureErrorInfo = { code: this.code, message: this.message, fix: this.fix, detail: this.detail }
    if (this.pos !== undefined) info.pos = this.pos
    if (this.interfaces !== undefined) info.interfaces = this.interfaces
    return info
  }
}

/** The exact fix for a permission error on `platform`; `runtime` is the binary that needs the right. */
export function permissionFix(platform: NodeJS.Platform, runtime: string): string {
  switch (platform) {
    case 'linux':
      return [
        'Capturing needs the CAP_NET_RAW capability. Only the capture helper needs it: do not run Wirenote itself as root.',
        `Grant it to the helper's runtime:  sudo setcap cap_net_raw,cap_net_admin+eip ${runtime}`,
        'To limit capture to one group instead (as Wireshark does with dumpcap and the "wireshark" group), give the',
        'capability to a copy of the runtime that only that group may execute: see "Linux" in docs/capture.md.'
      ].join('\n')
    case 'darwin':
      return [
        'Capturing needs read access to /dev/bpf*. Only the capture helper needs it: do not run Wirenote itself as root.',
        "Install Wireshark's ChmodBPF launch daemon (it gives the access_bpf group access to /dev/bpf* at every boot),",
        'then add yourself to that group and log out and back in:  sudo dseditgroup -o edit -a "$USER" -t user access_bpf'
      ].join('\n')
    case 'win32':
      return [
        'Capturing needs the Npcap driver to let you open adapters. Only the capture helper needs it: do not run Wirenote as Administrator.',
        'Reinstall Npcap (https://npcap.com) with "Restrict Npcap driver\'s access to Administrators only" unchecked.'
      ].join('\n')
    default:
      return 'Capturing needs raw packet access for the capture helper (not for Wirenote itself): see docs/capture.md.'
  }
}

export function permissionError(iface: string, libpcapText: string, platform: NodeJS.Platform, runtime: string): CaptureError {
  return new CaptureError({
    code: 'permission',
    message: `Not allowed to capture on "${iface}": ${libpcapText}`,
    fix: permissionFix(platform, runtime),
    detail: libpcapText
  })
}

export function unknownInterfaceError(iface: string, known: string[]): CaptureError {
  return new CaptureError({
    code: 'unknown-interface',
    message: `There is no interface "${iface}".`,
    fix: known.length > 0 ? `Known interfaces: ${known.join(', ')}` : 'No capture interfaces were found: is libpcap (Npcap on Windows) installed?',
    detail: '',
    interfaces: known
  })
}

export function libraryMissingError(platform: NodeJS.Platform, detail: string): CaptureError {
  const fix =
    platform === 'win32'
      ? 'Install Npcap (https://npcap.com) with "WinPcap API-compatible mode" checked, then restart Wirenote.'
      : platform === 'darwin'
        ? 'libpcap ships with macOS; reinstall Wirenote so that its native capture module matches this system.'
        : 'Install libpcap (Debian/Ubuntu: sudo apt-get install libpcap0.8; Fedora: sudo dnf install libpcap), then restart Wirenote.'
  return new CaptureError({ code: 'capture-library-missing', message: 'The packet capture library could not be loaded.', fix, detail })
}

export function interfaceDownError(iface: string, detail: string): CaptureError {
  return new CaptureError({
    code: 'interface-down',
    message: `Interface "${iface}" went down or was removed during the capture; the capture stopped.`,
    fix: 'Everything captured before that is kept in the spool file. Bring the interface up (or pick another one) and start a new capture.',
    detail
  })
}

export function diskFullError(spool: string, keptBytes: number, detail: string): CaptureError {
  return new CaptureError({
    code: 'disk-full',
    message: `The disk holding the capture spool is full; the capture stopped. ${keptBytes} bytes of whole packets were kept in ${spool}.`,
    fix: 'Free some space, or choose a spool directory on a disk with more room, then start a new capture.',
    detail
  })
}

export function spoolIoError(spool: string, detail: string): CaptureError {
  return new CaptureError({
    code: 'spool-io',
    message: `Could not write the capture spool file ${spool}.`,
    fix: 'Check that the spool directory exists and is writable, or choose another one.',
    detail
  })
}

/** Is this libpcap/Npcap open error a missing-privilege error? */
export function isPermissionText(text: string): boolean {
  return /Operation not permitted|Permission denied|don't have permission|Access is denied|access denied/i.test(text)
}

/** Is this libpcap open error about the device itself (gone, or never there)? */
export function isNoDeviceText(text: string): boolean {
  return /No such device|doesn't exist|no suitable device|Error opening adapter/i.test(text)
}
