// TCP field registrations (Wireshark 4.0 names, titles and types), shared by the header
// dissector and the conversation analysis that adds tcp.stream, tcp.seq and tcp.analysis.*.
import { defineField, type FieldNode } from '../fields'

/** tcp.completeness as packet-tcp.c's conversation_completeness_fill words it. */
export function completenessText(v: number): string {
  switch (v) {
    case 1:
      return `Incomplete, SYN_SENT (${v})`
    case 3:
      return `Incomplete, CLIENT_ESTABLISHED (${v})`
    case 7:
      return `Incomplete, ESTABLISHED (${v})`
    case 15:
      return `Incomplete, DATA (${v})`
    case 31:
    case 47:
    case 63:
      return `Complete, WITH_DATA (${v})`
    case 23:
    case 39:
    case 55:
      return `Complete, NO_DATA (${v})`
    default:
      return `Incomplete (${v})`
  }
}

export const TCP = {
  proto: defineField('tcp', 'Transmission Control Protocol', 'protocol'),
  srcport: defineField('tcp.srcport', 'Source Port', 'uint16'),
  dstport: defineField('tcp.dstport', 'Destination Port', 'uint16'),
  port: defineField('tcp.port', 'Source or Destination Port', 'uint16'),
  stream: defineField('tcp.stream', 'Stream index', 'uint32'),
  completeness: defineField('tcp.completeness', 'Conversation completeness', 'uint8', {
    labeler: (n: FieldNode) => `Conversation completeness: ${completenessText(typeof n.value === 'number' ? n.value : 0)}`
  }),
  len: defineField('tcp.len', 'TCP Segment Len', 'uint32'),
  seq: defineField('tcp.seq', 'Sequence Number', 'uint32'),
  seqRaw: defineField('tcp.seq_raw', 'Sequence Number (raw)', 'uint32'),
  nxtseq: defineField('tcp.nxtseq', 'Next Sequence Number', 'uint32'),
  ack: defineField('tcp.ack', 'Acknowledgment Number', 'uint32'),
  ackRaw: defineField('tcp.ack_raw', 'Acknowledgment number (raw)', 'uint32'),
  hdrLen: defineField('tcp.hdr_len', 'Header Length', 'uint8'),
  flags: defineField('tcp.flags', 'Flags', 'uint16', { base: 'hex', mask: 0xfff, maskBits: 12 }),
  flagRes: defineField('tcp.flags.res', 'Reserved', 'bool', { mask: 0xe00, maskBits: 12 }),
  flagAe: defineField('tcp.flags.ae', 'Accurate ECN', 'bool', { mask: 0x100, maskBits: 12 }),
  flagCwr: defineField('tcp.flags.cwr', 'Congestion Window Reduced', 'bool', { mask: 0x80, maskBits: 12 }),
  flagEce: defineField('tcp.flags.ece', 'ECN-Echo', 'bool', { mask: 0x40, maskBits: 12 }),
  flagUrg: defineField('tcp.flags.urg', 'Urgent', 'bool', { mask: 0x20, maskBits: 12 }),
  flagAck: defineField('tcp.flags.ack', 'Acknowledgment', 'bool', { mask: 0x10, maskBits: 12 }),
  flagPush: defineField('tcp.flags.push', 'Push', 'bool', { mask: 0x08, maskBits: 12 }),
  flagReset: defineField('tcp.flags.reset', 'Reset', 'bool', { mask: 0x04, maskBits: 12 }),
  flagSyn: defineField('tcp.flags.syn', 'Syn', 'bool', { mask: 0x02, maskBits: 12 }),
  flagFin: defineField('tcp.flags.fin', 'Fin', 'bool', { mask: 0x01, maskBits: 12 }),
  flagStr: defineField('tcp.flags.str', 'TCP Flags', 'string'),
  window: defineField('tcp.window_size_value', 'Window', 'uint16'),
  windowSize: defineField('tcp.window_size', 'Calculated window size', 'uint32'),
  scaleFactor: defineField('tcp.window_size_scalefactor', 'Window size scaling factor', 'int32'),
  checksum: defineField('tcp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: defineField('tcp.checksum.status', 'Checksum Status', 'uint8', {
    strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' }
  }),
  urgent: defineField('tcp.urgent_pointer', 'Urgent Pointer', 'uint16'),
  options: defineField('tcp.options', 'TCP Options', 'bytes'),
  optKind: defineField('tcp.option_kind', 'Kind', 'uint8', {
    strings: {
      0: 'End of Option List',
      1: 'No-Operation',
      2: 'Maximum Segment Size',
      3: 'Window Scale',
      4: 'SACK Permitted',
      5: 'SACK',
      8: 'Time Stamp Option',
      19: 'MD5 signature',
      28: 'User Timeout',
      29: 'TCP Authentication Option',
      30: 'Multipath TCP',
      34: 'TCP Fast Open Cookie',
      253: 'RFC3692-style Experiment 1',
      254: 'RFC3692-style Experiment 2'
    }
  }),
  optLen: defineField('tcp.option_len', 'Length', 'uint8'),
  optMss: defineField('tcp.options.mss', 'TCP MSS Option', 'protocol'),
  mssVal: defineField('tcp.options.mss_val', 'MSS Value', 'uint16'),
  optWscale: defineField('tcp.options.wscale', 'TCP Window Scale Option', 'protocol'),
  wsShift: defineField('tcp.options.wscale.shift', 'Shift count', 'uint8'),
  wsMult: defineField('tcp.options.wscale.multiplier', 'Multiplier', 'uint16'),
  optSackPerm: defineField('tcp.options.sack_perm', 'TCP SACK Permitted Option', 'protocol'),
  optSack: defineField('tcp.options.sack', 'TCP SACK Option', 'protocol'),
  sackLe: defineField('tcp.options.sack_le', 'TCP SACK Left Edge', 'uint32'),
  sackRe: defineField('tcp.options.sack_re', 'TCP SACK Right Edge', 'uint32'),
  sackCount: defineField('tcp.options.sack.count', 'TCP SACK Count', 'uint8'),
  optTs: defineField('tcp.options.timestamp', 'TCP Timestamp Option', 'protocol'),
  tsval: defineField('tcp.options.timestamp.tsval', 'Timestamp value', 'uint32'),
  tsecr: defineField('tcp.options.timestamp.tsecr', 'Timestamp echo reply', 'uint32'),
  optNop: defineField('tcp.options.nop', 'TCP No-Operation Option', 'protocol'),
  optEol: defineField('tcp.options.eol', 'TCP End of Option List', 'protocol'),
  optUnknown: defineField('tcp.options.unknown', 'TCP Unknown Option', 'protocol'),
  unknownPayload: defineField('tcp.options.unknown.payload', 'Payload', 'bytes'),
  payload: defineField('tcp.payload', 'TCP payload', 'bytes'),
  resetCause: defineField('tcp.reset_cause', 'Reset cause', 'string'),
  segmentData: defineField('tcp.segment_data', 'TCP segment data', 'bytes'),
  reassembledIn: defineField('tcp.reassembled_in', 'Reassembled PDU in frame', 'framenum'),
  reassembledLength: defineField('tcp.reassembled.length', 'Reassembled TCP length', 'uint32'),
  // Conversation timestamps
  timeRelative: defineField('tcp.time_relative', 'Time since first frame in this TCP stream', 'reltime'),
  timeDelta: defineField('tcp.time_delta', 'Time since previous frame in this TCP stream', 'reltime'),
  // Conversation analysis
  analysis: defineField('tcp.analysis', 'SEQ/ACK analysis', 'none'),
  acksFrame: defineField('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame', 'framenum'),
  ackRtt: defineField('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was', 'reltime'),
  initialRtt: defineField('tcp.analysis.initial_rtt', 'iRTT', 'reltime'),
  bytesInFlight: defineField('tcp.analysis.bytes_in_flight', 'Bytes in flight', 'uint32'),
  pushBytesSent: defineField('tcp.analysis.push_bytes_sent', 'Bytes sent since last PSH flag', 'uint32'),
  rto: defineField('tcp.analysis.rto', 'The RTO for this segment was', 'reltime'),
  rtoFrame: defineField('tcp.analysis.rto_frame', 'RTO based on delta from frame', 'framenum'),
  analysisFlags: defineField('tcp.analysis.flags', 'TCP Analysis Flags', 'none'),
  retransmission: defineField('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission', 'none'),
  fastRetransmission: defineField('tcp.analysis.fast_retransmission', 'This frame is a (suspected) fast retransmission', 'none'),
  spuriousRetransmission: defineField('tcp.analysis.spurious_retransmission', 'This frame is a (suspected) spurious retransmission', 'none'),
  outOfOrder: defineField('tcp.analysis.out_of_order', 'This frame is a (suspected) out-of-order segment', 'none'),
  reusedPorts: defineField('tcp.analysis.reused_ports', 'A new tcp session is started with the same ports as an earlier session in this trace', 'none'),
  lostSegment: defineField('tcp.analysis.lost_segment', "Previous segment(s) not captured (common at capture start)", 'none'),
  ackLostSegment: defineField('tcp.analysis.ack_lost_segment', "ACKed segment that wasn't captured (common at capture start)", 'none'),
  windowUpdate: defineField('tcp.analysis.window_update', 'TCP window update', 'none'),
  windowFull: defineField('tcp.analysis.window_full', 'TCP window specified by the receiver is now completely full', 'none'),
  keepAlive: defineField('tcp.analysis.keep_alive', 'TCP keep-alive segment', 'none'),
  keepAliveAck: defineField('tcp.analysis.keep_alive_ack', 'ACK to a TCP keep-alive segment', 'none'),
  zeroWindow: defineField('tcp.analysis.zero_window', 'TCP Zero Window segment', 'none'),
  zeroWindowProbe: defineField('tcp.analysis.zero_window_probe', 'TCP Zero Window Probe', 'none'),
  zeroWindowProbeAck: defineField('tcp.analysis.zero_window_probe_ack', 'ACK to a TCP Zero Window Probe', 'none'),
  duplicateAck: defineField('tcp.analysis.duplicate_ack', 'Duplicate ACK', 'none'),
  dupAckNum: defineField('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #', 'uint32'),
  dupAckFrame: defineField('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', 'framenum'),
  shortSegment: defineField('tcp.short_segment', 'Short segment', 'none'),
  bogusHeaderLength: defineField('tcp.bogus_header_length', 'Bogus TCP Header length', 'none')
}
