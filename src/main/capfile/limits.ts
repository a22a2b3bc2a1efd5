// Length ceilings, mirrored from tshark 4.0 so that we refuse exactly the records it refuses.

/** tshark's WTAP_MAX_PACKET_SIZE_STANDARD: the largest packet of most link types. */
export const MAX_PACKET_STANDARD = 262144
const MAX_PACKET_128M = 128 * 1024 * 1024
const MAX_PACKET_EBHSCR = 8 * 1024 * 1024

/**
 * Largest captured length tshark 4.0 accepts for a link type (wtap_max_snaplen_for_encap):
 * D-Bus and the USB link types carry messages far beyond any MTU, EBHSCR up to 8 MiB.
 */
export function maxCaplenFor(linktype: number): number {
  switch (linktype) {
    case 231: // DBUS
    case 249: // USBPCAP
    case 189: // USB_LINUX
    case 220: // USB_LINUX_MMAPPED
    case 266: // USB_DARWIN
    case 186: // USB_FREEBSD
      return MAX_PACKET_128M
    case 279: // EBHSCR
      return MAX_PACKET_EBHSCR
    default:
      return MAX_PACKET_STANDARD
  }
}

/** tshark's MAX_BLOCK_SIZE for one pcapng block (the largest packet plus room for headers and options). */
export const MAX_BLOCK_SIZE = 134348832
