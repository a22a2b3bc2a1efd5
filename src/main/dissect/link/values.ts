// Value strings (Wireshark's VALS) of link-layer fields, generated from `tshark -G values` (4.0.17).
// Labels only: -T fields prints the numbers.

/** eth.type (Wireshark 4.0). */
export const ETHERTYPE_VALS: Readonly<Record<number, string>> = {
  0x0600: 'XNS Internet Datagram Protocol', 0x0800: 'IPv4', 0x0805: 'X.25 Layer 3', 0x0806: 'ARP',
  0x0842: 'Wake on LAN', 0x08f0: 'WiMax Mac-to-Mac', 0x08ff: 'AX.25', 0x0bad: 'Vines IP', 0x0baf: 'Vines Echo',
  0x1984: 'Netmon Train', 0x2001: 'Cisco Group Management Protocol', 0x22e5: 'Gigamon Header',
  0x22ea: '802.1Qat Multiple Stream Reservation Protocol', 0x22f0: 'IEEE 1722 Audio Video Transport Protocol',
  0x22f1: 'Robust Header Compression(RoHC)', 0x22f3: 'Transparent Interconnection of Lots of Links',
  0x22f4: 'Intermediate System to Intermediate System', 0x2452: 'IEEE 802.11 (Centrino promiscuous)',
  0x3c07: '3Com NBP Datagram', 0x3e3f: 'EPL_V1', 0x6000: 'DEC proto', 0x6001: 'DEC DNA Dump/Load',
  0x6002: 'DEC DNA Remote Console', 0x6003: 'DEC DNA Routing', 0x6004: 'DEC LAT', 0x6005: 'DEC Diagnostics',
  0x6006: 'DEC Customer use', 0x6007: 'DEC LAVC/SCA', 0x6558: 'Transparent Ethernet bridging',
  0x8021: 'PPP IP Control Protocol', 0x8035: 'RARP', 0x8038: 'DEC LanBridge', 0x8041: 'DEC LAST',
  0x809b: 'AppleTalk LLAP bridging', 0x80d5: 'SNA-over-Ethernet', 0x80e1: 'EtherNet/IP Device Level Ring',
  0x80f3: 'AARP', 0x80fd: 'PPP Compression Control Protocol', 0x80ff: 'Wellfleet Compression Protocol',
  0x8100: '802.1Q Virtual LAN', 0x8102: 'Simple Loop Protection Protocol', 0x8103: 'Virtual LACP',
  0x8104: 'Simple Loop Protection Protocol (old)', 0x8133: 'Juniper Netscreen Redundant Protocol',
  0x8137: 'Netware IPX/SPX', 0x8181: 'Spanning Tree Protocol', 0x81fd: 'Cabletron Interswitch Message Protocol',
  0x81ff: 'Cabletron SFVLAN 1.8 Tag-Based Flood', 0x8204: 'QNX 6 QNET protocol', 0x86dd: 'IPv6',
  0x872d: 'Cisco Wireless Lan Context Control Protocol', 0x8783: 'Motorola Media Independent Network Transport',
  0x8808: 'MAC Control', 0x8809: 'Slow Protocols', 0x8819: 'Cirrus Cobranet Packet',
  0x8847: 'MPLS label switched packet', 0x8848: 'MPLS multicast label switched packet', 0x885a: 'Foundry proprietary',
  0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session', 0x886c: 'HomePNA, wlan link local tunnel',
  0x886d: 'Intel ANS probe', 0x886f: 'MS NLB heartbeat', 0x8870: 'Jumbo LLC', 0x8874: 'Broadcom tag',
  0x887b: 'Homeplug', 0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x8884: 'ATM over Ethernet',
  0x888e: '802.1X Authentication', 0x8892: 'PROFINET', 0x8899: 'Realtek Layer 2 Protocols',
  0x889b: 'CSM_ENCAPS Protocol', 0x88a1: 'Telkonet powerline', 0x88a2: 'ATA over Ethernet', 0x88a4: 'EtherCAT frame',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)', 0x88ab: 'ETHERNET Powerlink v2', 0x88ad: 'XiMeta Technology',
  0x88b4: 'WAI Authentication Protocol', 0x88b5: 'Local Experimental Ethertype 1',
  0x88b6: 'Local Experimental Ethertype 2', 0x88b7: 'IEEE 802a OUI Extended Ethertype', 0x88b8: 'IEC 61850/GOOSE',
  0x88b9: 'IEC 61850/GSE management services', 0x88ba: 'IEC 61850/SV (Sampled Value Transmission',
  0x88c7: '802.11i Pre-Authentication', 0x88ca: 'Transparent Inter Process Communication',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)', 0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x88d8: 'Circuit Emulation Services over Ethernet (MEF8)', 0x88d9: 'Link Layer Topology Discovery (LLTD)',
  0x88dc: '(WAVE) Short Message Protocol (WSM)', 0x88de: 'VMware Lab Manager', 0x88e1: 'Homeplug AV', 0x88e3: 'MRP',
  0x88e5: '802.1AE (MACsec)', 0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)',
  0x88ee: 'Ethernet Local Management Interface (MEF16)', 0x88f6: '802.1ak Multiple Mac Registration Protocol',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)', 0x88f8: 'Network Controller Sideband Interface',
  0x88fb: 'Parallel Redundancy Protocol (PRP) and HSR Supervision (IEC62439 Part 3)',
  0x8901: 'Flow Layer Internal Protocol', 0x8902: 'IEEE 802.1ag Connectivity Fault Management (CFM) protocol',
  0x8903: 'Data Center Ethernet (DCE) protocol(Cisco)', 0x8906: 'Fibre Channel over Ethernet',
  0x8909: 'CiscoMetaData', 0x890d: 'IEEE 802.11 data encapsulation', 0x8911: 'LINX IPC Protocol',
  0x8914: 'FCoE Initialization Protocol', 0x8915: 'RDMA over Converged Ethernet',
  0x8917: 'Media Independent Handover Protocol', 0x891d: 'TTEthernet Protocol Control Frame', 0x8926: 'VN-Tag',
  0x892b: 'Schweitzer Engineering Labs Layer 2 Protocol', 0x892d: 'bluecom Protocol',
  0x892f: 'High-availability Seamless Redundancy (IEC62439 Part 3)',
  0x893a: '1905.1a Convergent Digital Home Network for Heterogenous Technologies',
  0x893f: '802.1br Bridge Port Extension E-Tag', 0x8947: 'GeoNetworking', 0x894f: 'Network Service Header',
  0x8988: 'PA HB Backup', 0x9000: 'Loopback', 0x9021: 'Real-Time Media Access Control',
  0x9022: 'Real-Time Configuration Protocol', 0x9100: 'QinQ: old non-standard 802.1ad',
  0x9104: 'EERO Broadcast Packet', 0x99fe: 'Technically Enhanced Capture Module Protocol (TECMP)', 0xa0ed: '6LoWPAN',
  0xaefe: 'eCPRI', 0xb4e3: 'CableLabs Layer-3 Protocol', 0xc021: 'PPP Link Control Protocol',
  0xc023: 'PPP Password Authentication Protocol', 0xc0de: 'eXpressive Internet Protocol',
  0xc0df: 'Neighborhood Watch Protocol', 0xcafe: 'Veritas Low Latency Transport (not officially registered)',
  0xd00d: 'Digium TDM over Ethernet Protocol', 0xd28b: 'Arista Timestamp', 0xe555: 'EXos internal Extra Header',
  0xf1c1: '802.1CB Frame Replication and Elimination for Reliability', 0xfff2: 'Cisco ACI ARP gleaning'
}

/** sll.pkttype (Wireshark 4.0). */
export const SLL_PKTTYPE_VALS: Readonly<Record<number, string>> = {
  0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us'
}

/** sll.hatype (Wireshark 4.0). */
export const ARPHRD_VALS: Readonly<Record<number, string>> = {
  0x0000: 'NET/ROM pseudo', 0x0001: 'Ethernet', 0x0002: 'Experimental Ethernet', 0x0003: 'AX.25', 0x0004: 'ProNET',
  0x0005: 'Chaos', 0x0006: 'IEEE 802', 0x0007: 'ARCNET', 0x0008: 'Hyperchannel', 0x0009: 'Lanstar',
  0x000a: 'Autonet Short Address', 0x000b: 'Localtalk', 0x000c: 'LocalNet', 0x000d: 'Ultra link', 0x000e: 'SMDS',
  0x000f: 'Frame Relay DLCI', 0x0010: 'ATM', 0x0011: 'HDLC', 0x0012: 'Fibre Channel', 0x0013: 'ATM (RFC 2225)',
  0x0014: 'Serial Line', 0x0015: 'ATM', 0x0016: 'MIL-STD-188-220', 0x0017: 'Metricom STRIP', 0x0018: 'IEEE 1394.1995',
  0x0019: 'MAPOS', 0x001a: 'Twinaxial', 0x001b: 'EUI-64', 0x001c: 'HIPARP', 0x001d: 'IP and ARP over ISO 7816-3',
  0x001e: 'ARPSec', 0x001f: 'IPsec tunnel', 0x0020: 'InfiniBand', 0x0021: 'TIA-102 Project 25 CAI',
  0x0022: 'Wiegand Interface', 0x0023: 'Pure IP', 0x0024: 'Experimental 1', 0x0025: 'HFI', 0x0100: 'Experimental 2',
  0x0101: 'AEthernet', 0x0104: 'Notional KISS type', 0x0108: 'ADAPT', 0x010e: 'ROSE', 0x010f: 'CCITT X.25',
  0x0110: 'Boards with X.25 in firmware', 0x0118: 'Controller Area Network', 0x0200: 'PPP', 0x0201: 'Cisco HDLC',
  0x0204: 'LAPB', 0x0205: 'Digital\'s DDCMP protocol', 0x0206: 'Raw HDLC', 0x0207: 'Raw IP', 0x0300: 'IPIP tunnel',
  0x0301: 'IP6IP6 tunnel', 0x0302: 'Frame Relay Access Device', 0x0303: 'SKIP vif', 0x0304: 'Loopback',
  0x0306: 'Fiber Distributed Data Interface', 0x0307: 'AP1000 BIF', 0x0308: 'sit0 device - IPv6-in-IPv4',
  0x0309: 'IP over DDP tunneller', 0x030a: 'GRE over IP', 0x030b: 'PIMSM register interface',
  0x030c: 'High Performance Parallel Interface', 0x030d: 'Nexus 64Mbps Ash', 0x030e: 'Acorn Econet',
  0x030f: 'Linux-IrDA', 0x0310: 'Point to point fibrechannel', 0x0311: 'Fibrechannel arbitrated loop',
  0x0312: 'Fibrechannel public loop', 0x0313: 'Fibrechannel fabric', 0x0320: 'Magic type ident for TR',
  0x0321: 'IEEE 802.11', 0x0322: 'IEEE 802.11 + Prism2 header', 0x0323: 'IEEE 802.11 + radiotap header',
  0x0324: 'IEEE 802.15.4', 0x0325: 'IEEE 802.15.4 network monitor', 0x0334: 'PhoNet media type',
  0x0335: 'PhoNet pipe header', 0x0336: 'CAIF media type', 0x0337: 'GRE over IPv6', 0x0338: 'Netlink',
  0x0339: 'IPv6 over LoWPAN', 0x033a: 'Vsock monitor header', 0xfffe: 'zero header length',
  0xffff: 'Void type, nothing is known'
}

/** null.family (Wireshark 4.0). */
export const NULL_FAMILY_VALS: Readonly<Record<number, string>> = {
  2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6'
}

/** llc.dsap (Wireshark 4.0). */
export const SAP_VALS: Readonly<Record<number, string>> = {
  0: 'NULL LSAP', 1: 'NULL LSAP', 2: 'LLC Sub-Layer Management', 4: 'SNA Path Control', 6: 'TCP/IP', 8: 'SNA',
  12: 'SNA', 14: 'PROWAY (IEC955) Network Management and Initialization', 16: 'NetWare (unofficial?)',
  20: 'ISO Network Layer (OSLAN 1)', 24: 'Texas Instruments', 32: 'ISO Network Layer (unofficial?)',
  52: 'ISO Network Layer (unofficial?)', 66: 'Spanning Tree BPDU', 78: 'EIA RS-511 Manufacturing Message Service',
  84: 'ISO Network Layer (OSLAN 2)', 126: 'ISO 8208 (X.25 over 802.2)', 127: 'ISO 802.2', 128: 'XNS', 130: 'BACnet',
  134: 'Nestar', 142: 'PROWAY (IEC955) Active Station List Maintenance', 152: 'ARP', 170: 'SNAP',
  180: 'HP JetDirect Printer', 186: 'Banyan Vines', 188: 'Banyan Vines', 224: 'NetWare', 240: 'NetBIOS',
  244: 'IBM Net Management', 248: 'HP Extended LLC', 250: 'Ungermann-Bass', 252: 'Remote Program Load',
  254: 'ISO Network Layer', 255: 'Global LSAP'
}

/** llc.control.u_modifier_cmd (Wireshark 4.0). */
export const LLC_U_CMD_VALS: Readonly<Record<number, string>> = {
  0: 'Unnumbered Information', 1: 'Set Initialization Mode', 3: 'Set Asynchronous Response Mode',
  8: 'Unnumbered Poll', 11: 'Set Asynchronous Balanced Mode', 16: 'Disconnect',
  19: 'Set Asynchronous Response Mode Extended', 24: 'Unnumbered Acknowledge',
  27: 'Set Asynchronous Balanced Mode Extended', 32: 'Set Normal Response Mode', 33: 'Frame reject', 35: 'Reset',
  43: 'Exchange identification', 49: 'Configure', 51: 'Set Normal Response Mode Extended', 56: 'Test', 59: 'Beacon'
}

/** ppp.protocol (Wireshark 4.0). */
export const PPP_PROTO_VALS: Readonly<Record<number, string>> = {
  0x0001: 'Padding Protocol', 0x0003: 'ROHC small-CID', 0x0005: 'ROHC large-CID',
  0x0021: 'Internet Protocol version 4', 0x0023: 'OSI Network Layer', 0x0025: 'Xerox NS IDP',
  0x0027: 'DECnet Phase IV', 0x0029: 'Appletalk', 0x002b: 'Novell IPX', 0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP', 0x0031: 'Bridging PDU', 0x0033: 'Stream Protocol (ST-II)',
  0x0035: 'Banyan Vines', 0x0039: 'AppleTalk EDDP', 0x003b: 'AppleTalk SmartBuffered', 0x003d: 'Multi-Link',
  0x003f: 'NETBIOS Framing', 0x0041: 'Cisco Systems', 0x0043: 'Ascom Timeplex',
  0x0045: 'Fujitsu Link Backup and Load Balancing (LBLB)', 0x0047: 'DCA Remote Lan',
  0x0049: 'Serial Data Transport Protocol (PPP-SDTP)', 0x004b: 'SNA over 802.2', 0x004d: 'SNA',
  0x004f: 'IPv6 Header Compression ', 0x0051: 'KNX Bridging Data', 0x0053: 'Encryption',
  0x0055: 'Individual Link Encryption', 0x0057: 'Internet Protocol version 6', 0x0059: 'PPP Muxing',
  0x005b: 'Vendor-Specific Network Protocol (VSNP)', 0x005d: 'TRILL Network Protocol (TNP)',
  0x0061: 'RTP IPHC Full Header', 0x0063: 'RTP IPHC Compressed TCP', 0x0065: 'RTP IPHC Compressed Non TCP',
  0x0067: 'RTP IPHC Compressed UDP 8', 0x0069: 'RTP IPHC Compressed RTP 8', 0x006f: 'Stampede Bridging',
  0x0073: 'MP+ Protocol', 0x00c1: 'NTCITS IPI', 0x00fb: 'Single link compression in multilink',
  0x00fd: 'Compressed datagram', 0x0201: '802.1d Hello Packets', 0x0203: 'IBM Source Routing BPDU',
  0x0205: 'DEC LANBridge100 Spanning Tree', 0x0207: 'Cisco Discovery Protocol', 0x0209: 'Netcs Twin Routing',
  0x020b: 'STP - Scheduled Transfer Protocol', 0x020d: 'EDP - Extreme Discovery Protocol',
  0x0211: 'Optical Supervisory Channel Protocol (OSCP)', 0x0213: 'Optical Supervisory Channel Protocol (OSCP)',
  0x0231: 'Luxcom', 0x0233: 'Sigma Network Systems', 0x0235: 'Apple Client Server Protocol', 0x0281: 'MPLS Unicast',
  0x0283: 'MPLS Multicast', 0x0285: 'IEEE p1284.4 standard - data packets',
  0x0287: 'ETSI TETRA Network Protocol Type 1', 0x0289: 'Multichannel Flow Treatment Protocol',
  0x2063: 'RTP IPHC Compressed TCP No Delta', 0x2065: 'RTP IPHC Context State', 0x2067: 'RTP IPHC Compressed UDP 16',
  0x2069: 'RTP IPHC Compressed RTP 16', 0x4001: 'Cray Communications Control Protocol',
  0x4003: 'CDPD Mobile Network Registration Protocol', 0x4005: 'Expand accelerator protocol', 0x4007: 'ODSICP NCP',
  0x4009: 'DOCSIS DLL', 0x400b: 'Cetacean Network Detection Protocol', 0x4021: 'Stacker LZS',
  0x4023: 'RefTek Protocol', 0x4025: 'Fibre Channel', 0x4027: 'EMIT Protocols',
  0x405b: 'Vendor-Specific Protocol (VSP)', 0x405d: 'TRILL Link State Protocol (TLSP)',
  0x8021: 'Internet Protocol Control Protocol', 0x8023: 'OSI Network Layer Control Protocol',
  0x8025: 'Xerox NS IDP Control Protocol', 0x8027: 'DECnet Phase IV Control Protocol',
  0x8029: 'AppleTalk Control Protocol', 0x802b: 'Novell IPX Control Protocol', 0x8031: 'Bridging NCP',
  0x8033: 'Stream Protocol Control Protocol', 0x8035: 'Banyan Vines Control Protocol',
  0x803d: 'Multi-Link Control Protocol', 0x803f: 'NETBIOS Framing Control Protocol',
  0x8041: 'Cisco Systems Control Protocol', 0x8043: 'Ascom Timeplex', 0x8045: 'Fujitsu LBLB Control Protocol',
  0x8047: 'DCA Remote Lan Network Control Protocol (RLNCP)', 0x8049: 'Serial Data Control Protocol (PPP-SDCP)',
  0x804b: 'SNA over 802.2 Control Protocol', 0x804d: 'SNA Control Protocol',
  0x804f: 'IP6 Header Compression Control Protocol', 0x8051: 'KNX Bridging Control Protocol',
  0x8053: 'Encryption Control Protocol', 0x8055: 'Individual Link Encryption Control Protocol',
  0x8057: 'IPv6 Control Protocol', 0x8059: 'PPP Muxing Control Protocol',
  0x805b: 'Vendor-Specific Network Control Protocol (VSNCP)', 0x805d: 'TRILL Network Control Protocol',
  0x806f: 'Stampede Bridging Control Protocol', 0x8073: 'MP+ Control Protocol', 0x80c1: 'NTCITS IPI Control Protocol',
  0x80fb: 'Single link compression in multilink control', 0x80fd: 'Compression Control Protocol',
  0x8207: 'Cisco Discovery Protocol Control Protocol', 0x8209: 'Netcs Twin Routing', 0x820b: 'STP - Control Protocol',
  0x820d: 'EDPCP - Extreme Discovery Protocol Control Protocol', 0x8235: 'Apple Client Server Protocol Control',
  0x8281: 'MPLS Control Protocol', 0x8285: 'IEEE p1284.4 standard - Protocol Control',
  0x8287: 'ETSI TETRA TNP1 Control Protocol', 0x8289: 'Multichannel Flow Treatment Protocol',
  0xc021: 'Link Control Protocol', 0xc023: 'Password Authentication Protocol', 0xc025: 'Link Quality Report',
  0xc027: 'Shiva Password Authentication Protocol', 0xc029: 'Callback Control Protocol (CBCP)',
  0xc02b: 'BACP Bandwidth Allocation Control Protocol', 0xc02d: 'BAP Bandwidth Allocation Protocol',
  0xc05b: 'Vendor-Specific Authentication Protocol (VSAP)', 0xc081: 'Container Control Protocol',
  0xc223: 'Challenge Handshake Authentication Protocol', 0xc225: 'RSA Authentication Protocol',
  0xc227: 'Extensible Authentication Protocol', 0xc229: 'Mitsubishi Security Information Exchange Protocol (SIEP)',
  0xc26f: 'Stampede Bridging Authorization Protocol', 0xc281: 'Proprietary Authentication Protocol',
  0xc283: 'Proprietary Authentication Protocol', 0xc481: 'Proprietary Node ID Authentication Protocol'
}

/** gre.proto (Wireshark 4.0). */
export const GRE_PROTO_VALS: Readonly<Record<number, string>> = {
  0x0000: 'Possible GRE keepalive packet', 0x00fe: 'OSI', 0x0800: 'IP', 0x0806: 'ARP', 0x2000: 'CDP (Cisco)',
  0x2001: 'NHRP', 0x22eb: 'ERSPAN III', 0x6400: 'MIKROTIK EoIP', 0x6558: 'Transparent Ethernet bridging',
  0x6559: 'Frame Relay', 0x8137: 'IPX', 0x8200: 'ARUBA WLAN', 0x8210: 'ARUBA WLAN', 0x8220: 'ARUBA WLAN',
  0x8230: 'ARUBA WLAN', 0x8240: 'ARUBA WLAN', 0x8250: 'ARUBA WLAN', 0x8260: 'ARUBA WLAN', 0x8270: 'ARUBA WLAN',
  0x8280: 'ARUBA WLAN', 0x8290: 'ARUBA WLAN', 0x82a0: 'ARUBA WLAN', 0x82b0: 'ARUBA WLAN', 0x82c0: 'ARUBA WLAN',
  0x82d0: 'ARUBA WLAN', 0x82e0: 'ARUBA WLAN', 0x82f0: 'ARUBA WLAN', 0x8300: 'ARUBA WLAN', 0x8310: 'ARUBA WLAN',
  0x8320: 'ARUBA WLAN', 0x8330: 'ARUBA WLAN', 0x8340: 'ARUBA WLAN', 0x8350: 'ARUBA WLAN', 0x8360: 'ARUBA WLAN',
  0x8370: 'ARUBA WLAN', 0x86dd: 'IPv6', 0x880b: 'PPP', 0x883e: 'WCCP', 0x8847: 'MPLS label switched packet',
  0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x88be: 'ERSPAN', 0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x8909: 'CiscoMetaData', 0x894f: 'Network Service Header', 0x9000: 'ARUBA WLAN', 0xb7ea: 'Huawei GRE bonding',
  0xfeae: 'AIROHIVE AP AP'
}

/** cdp.tlv.type (Wireshark 4.0). */
export const CDP_TLV_VALS: Readonly<Record<number, string>> = {
  0x0001: 'Device ID', 0x0002: 'Addresses', 0x0003: 'Port ID', 0x0004: 'Capabilities', 0x0005: 'Software version',
  0x0006: 'Platform', 0x0007: 'IP Prefix/Gateway (used for ODR)', 0x0008: 'Protocol Hello',
  0x0009: 'VTP Management Domain', 0x000a: 'Native VLAN', 0x000b: 'Duplex', 0x000e: 'VoIP VLAN Reply',
  0x000f: 'VoIP VLAN Query', 0x0010: 'Power consumption', 0x0011: 'MTU', 0x0012: 'Trust Bitmap',
  0x0013: 'Untrusted Port CoS', 0x0014: 'System Name', 0x0015: 'System Object ID', 0x0016: 'Management Address',
  0x0017: 'Location', 0x0018: 'External Port-ID', 0x0019: 'Power Requested', 0x001a: 'Power Available',
  0x001b: 'Port Unidirectional', 0x001d: 'EnergyWise', 0x001f: 'Spare PoE', 0x1000: 'BSSID', 0x1001: 'Serial number',
  0x1002: 'SSID', 0x1003: 'Radio1 channel', 0x1006: 'SNMP UDP port', 0x1007: 'Web TCP port',
  0x1008: 'Source MAC address', 0x1009: 'Radio2 channel', 0x100a: 'Radio1 Operating mode',
  0x100b: 'Radio2 Operating mode', 0x100c: 'Radio1 Radio mode', 0x100d: 'Radio2 Radio mode'
}

/** aoe.cmd (Wireshark 4.0). */
export const AOE_CMD_VALS: Readonly<Record<number, string>> = {
  0: 'Issue ATA Command', 1: 'Query Config Information'
}

/** erspan.version (Wireshark 4.0). */
export const ERSPAN_VERSION_VALS: Readonly<Record<number, string>> = {
  1: 'Type II', 2: 'Type III'
}

/** erspan.bso (Wireshark 4.0). */
export const ERSPAN_BSO_VALS: Readonly<Record<number, string>> = {
  0: 'Good or unknown integrity', 1: 'Short frame', 2: 'Oversized frame', 3: 'CRC or alignment error'
}

