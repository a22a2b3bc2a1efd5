// Value strings (Wireshark's VALS) of network-layer fields, generated from `tshark -G values` (4.0.17).
// Labels only: -T fields prints the numbers.
import { ARPHRD_VALS } from '../link/values'

/** ip.proto (Wireshark 4.0). */
export const IP_PROTO_VALS: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 3: 'GGP', 4: 'IPIP', 5: 'Stream', 6: 'TCP', 7: 'CBT', 8: 'EGP',
  9: 'IGRP', 10: 'BBN RCC', 11: 'Network Voice', 12: 'PUP', 13: 'ARGUS', 14: 'EMCON', 15: 'XNET', 16: 'CHAOS',
  17: 'UDP', 18: 'Multiplex', 19: 'DCN Measurement', 20: 'Host Monitoring', 21: 'Packet radio', 22: 'IDP',
  23: 'Trunk-1', 24: 'Trunk-2', 25: 'Leaf-1', 26: 'Leaf-2', 27: 'Reliable Data', 28: 'IRT', 29: 'ISO TP4',
  30: 'Bulk Data', 31: 'MFE NSP', 32: 'Merit Internodal', 33: 'Datagram Congestion Control Protocol',
  34: '3rd Party Connect', 35: 'Inter-Domain Policy Routing Protocol', 36: 'XTP', 37: 'Datagram delivery',
  38: 'Control Message', 39: 'TP++', 40: 'IL', 41: 'IPv6', 42: 'Source demand routing', 43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6', 45: 'Inter-Domain Routing Protocol', 46: 'Reservation Protocol',
  47: 'Generic Routing Encapsulation', 48: 'Dynamic source routing', 49: 'BNA', 50: 'Encap Security Payload',
  51: 'Authentication Header', 52: 'INSLP', 53: 'SWIPE', 54: 'NBMA ARP', 55: 'IP Mobility', 56: 'TLSP Kryptonet',
  57: 'SKIP', 58: 'ICMPv6', 59: 'No Next Header for IPv6', 60: 'Destination Options for IPv6',
  61: 'any host internal protocol', 62: 'Mobile IPv6 (old)', 63: 'any local network', 64: 'SATNET EXPAK',
  65: 'Kryptolan', 66: 'Remote Virtual Disk', 67: 'IPPC', 68: 'any distributed file system', 69: 'SATNET Monitoring',
  70: 'VISA', 71: 'IPCV', 72: 'CPNX', 73: 'CPHB', 74: 'Wang Span', 75: 'Packet Video', 76: 'Backroom SATNET Mon',
  77: 'Sun ND Protocol', 78: 'Wideband Mon', 79: 'Wideband Expak', 80: 'ISO Internet Protocol', 81: 'VMTP',
  82: 'Secure VMTP', 83: 'VINES', 84: 'TTP', 85: 'NSFNET IGP', 86: 'Dissimilar Gateway', 87: 'TCF', 88: 'EIGRP',
  89: 'OSPF IGP', 90: 'Sprite RPC', 91: 'Locus ARP', 92: 'Multicast Transport', 93: 'AX.25 Frames', 94: 'IP in IP',
  95: 'MICP', 96: 'Semaphore', 97: 'Ether in IP', 98: 'ENCAP', 99: 'any private encryption scheme', 100: 'GMTP',
  101: 'Ipsilon Flow', 102: 'PNNI over IP', 103: 'PIM', 104: 'ARIS', 105: 'SCPS', 106: 'QNX', 107: 'Active Networks',
  108: 'IPComp', 109: 'Sitara Networks', 110: 'Compaq Peer', 111: 'IPX IN IP', 112: 'VRRP', 113: 'PGM',
  114: 'any 0-hop protocol', 115: 'Layer 2 Tunneling', 116: 'DDX', 117: 'IATP', 118: 'STP', 119: 'SpectraLink',
  120: 'UTI', 121: 'SMP', 122: 'SM', 123: 'PTP', 124: 'ISIS over IP', 125: 'FIRE', 126: 'CRTP', 127: 'CRUDP',
  128: 'SSCOPMCE', 129: 'IPLT', 130: 'Secure Packet', 131: 'PIPE', 132: 'SCTP', 133: 'Fibre Channel',
  134: 'RSVP E2EI', 135: 'Mobile IPv6', 136: 'UDPLite', 137: 'MPLS in IP', 138: 'MANET', 139: 'HIP',
  140: 'Shim6 header', 141: 'WESP', 142: 'ROHC', 143: 'Ethernet', 144: 'Unassigned', 145: 'Unassigned',
  146: 'Unassigned', 147: 'Unassigned', 148: 'Unassigned', 149: 'Unassigned', 150: 'Unassigned', 151: 'Unassigned',
  152: 'Unassigned', 153: 'Unassigned', 154: 'Unassigned', 155: 'Unassigned', 156: 'Unassigned', 157: 'Unassigned',
  158: 'Unassigned', 159: 'Unassigned', 160: 'Unassigned', 161: 'Unassigned', 162: 'Unassigned', 163: 'Unassigned',
  164: 'Unassigned', 165: 'Unassigned', 166: 'Unassigned', 167: 'Unassigned', 168: 'Unassigned', 169: 'Unassigned',
  170: 'Unassigned', 171: 'Unassigned', 172: 'Unassigned', 173: 'AX/4000 Testframe', 174: 'Unassigned',
  175: 'Unassigned', 176: 'Unassigned', 177: 'Unassigned', 178: 'Unassigned', 179: 'Unassigned', 180: 'Unassigned',
  181: 'Unassigned', 182: 'Unassigned', 183: 'Unassigned', 184: 'Unassigned', 185: 'Unassigned', 186: 'Unassigned',
  187: 'Unassigned', 188: 'Unassigned', 189: 'Unassigned', 190: 'Unassigned', 191: 'Unassigned', 192: 'Unassigned',
  193: 'Unassigned', 194: 'Unassigned', 195: 'Unassigned', 196: 'Unassigned', 197: 'Unassigned', 198: 'Unassigned',
  199: 'Unassigned', 200: 'Unassigned', 201: 'Unassigned', 202: 'Unassigned', 203: 'Unassigned', 204: 'Unassigned',
  205: 'Unassigned', 206: 'Unassigned', 207: 'Unassigned', 208: 'Unassigned', 209: 'Unassigned', 210: 'Unassigned',
  211: 'Unassigned', 212: 'Unassigned', 213: 'Unassigned', 214: 'Unassigned', 215: 'Unassigned', 216: 'Unassigned',
  217: 'Unassigned', 218: 'Unassigned', 219: 'Unassigned', 220: 'Unassigned', 221: 'Unassigned', 222: 'Unassigned',
  223: 'Unassigned', 224: 'Novell NCS Heartbeat'
}

/** arp.opcode (Wireshark 4.0). */
export const ARP_OPCODE_VALS: Readonly<Record<number, string>> = {
  0x0000: 'reserved', 0x0001: 'request', 0x0002: 'reply', 0x0003: 'reverse request', 0x0004: 'reverse reply',
  0x0005: 'drarp request', 0x0006: 'drarp reply', 0x0007: 'drarp error', 0x0008: 'inverse request',
  0x0009: 'inverse reply', 0x000a: 'arp nak', 0x000b: 'mars request', 0x000c: 'mars multi', 0x000d: 'mars mserv',
  0x000e: 'mars join', 0x000f: 'mars leave', 0x0010: 'mars nak', 0x0011: 'mars unserv', 0x0012: 'mars sjoin',
  0x0013: 'mars sleave', 0x0014: 'mars grouplist request', 0x0015: 'mars grouplist reply',
  0x0016: 'mars redirect map', 0x0017: 'mapos unarp', 0x0018: 'experimental 1', 0x0019: 'experimental 2',
  0xffff: 'reserved'
}

/** arp.hw.type (Wireshark 4.0): the same ARPHRD numbers as sll.hatype. */
export const ARP_HW_VALS: Readonly<Record<number, string>> = ARPHRD_VALS

/** icmpv6.type (Wireshark 4.0). */
export const ICMPV6_TYPE_VALS: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation',
  127: 'Reserved for expansion of ICMPv6 error messages', 128: 'Echo (ping) request', 129: 'Echo (ping) reply',
  130: 'Multicast Listener Query', 131: 'Multicast Listener Report', 132: 'Multicast Listener Done',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query',
  140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement', 143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request', 145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement', 148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement', 150: 'Experimental Mobility', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 154: 'FMIPv6', 155: 'RPL Control',
  156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message', 160: 'Extended Echo request', 161: 'Extended Echo reply',
  200: 'Private experimentation', 201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages'
}

/** igmp.type (Wireshark 4.0). */
export const IGMP_TYPE_VALS: Readonly<Record<number, string>> = {
  1: 'Create Group Request', 2: 'Create Group Reply', 3: 'Join Group Request', 4: 'Join Group Reply',
  5: 'Leave Group Request', 6: 'Leave Group Reply', 7: 'Confirm Group Request', 8: 'Confirm Group Reply',
  17: 'Membership Query', 18: 'Membership Report', 19: 'DVMRP Protocol', 20: 'PIM Routing Message',
  22: 'Membership Report', 23: 'Leave Group', 30: 'Traceroute Response', 31: 'Traceroute Query or Request',
  34: 'Membership Report'
}

/** ip.dsfield.dscp (Wireshark 4.0). */
export const DSCP_VALS: Readonly<Record<number, string>> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7'
}

/** ip.dsfield.ecn (Wireshark 4.0). */
export const ECN_VALS: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport', 1: 'ECN-Capable Transport codepoint \'01\'',
  2: 'ECN-Capable Transport codepoint \'10\'', 3: 'Congestion Experienced'
}

/** ipv6.opt.type (Wireshark 4.0). */
export const IPV6_OPT_VALS: Readonly<Record<number, string>> = {
  0: 'Pad1', 1: 'PadN', 4: 'Tunnel Encapsulation Limit', 5: 'Router Alert', 7: 'CALIPSO', 8: 'SMF_DPD',
  15: 'Performance and Diagnostic Metrics', 30: 'Experimental (0x1E)', 38: 'Quick-Start', 48: 'Path MTU Option',
  49: 'IOAM Option', 62: 'Experimental (0x3E)', 65: 'Tunnel Payload Forwarding (TPF) Information',
  94: 'Experimental (0x5E)', 99: 'RPL Option', 109: 'MPL Option', 126: 'Experimental (0x7E)',
  138: 'Endpoint Identification', 139: 'ILNP Nonce', 140: 'Line-Identification Option', 158: 'Experimental (0x9E)',
  190: 'Experimental (0xBE)', 194: 'Jumbo Payload', 201: 'Home Address', 222: 'Experimental (0xDE)', 238: 'IP_DFF',
  254: 'Experimental (0xFE)'
}

/** ip.opt.type.number (Wireshark 4.0). */
export const IP_OPT_NUMBER_VALS: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 22: 'Unassigned', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet',
  25: 'Quick-Start', 30: 'RFC 3692-style experiment'
}

/** ip.opt.type.class (Wireshark 4.0). */
export const IP_OPT_CLASS_VALS: Readonly<Record<number, string>> = {
  0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use'
}

/** ipv6.routing.type (Wireshark 4.0). */
export const IPV6_ROUTING_TYPE_VALS: Readonly<Record<number, string>> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2'
}

/** ospf.msg (Wireshark 4.0). */
export const OSPF_MSG_VALS: Readonly<Record<number, string>> = {
  1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge'
}

/** ipv6.opt.router_alert (Wireshark 4.0). */
export const IPV6_RTALERT_VALS: Readonly<Record<number, string>> = {
  0: 'MLD', 1: 'RSVP', 2: 'Active Network'
}

/** ip.opt.sec_cl (Wireshark 4.0). */
export const IP_SEC_CL_VALS: Readonly<Record<number, string>> = {
  1: 'Reserved 4', 61: 'Top secret', 90: 'Secret', 102: 'Reserved 3', 150: 'Confidential', 171: 'Unclassified',
  204: 'Reserved 2', 241: 'Reserved 1'
}

