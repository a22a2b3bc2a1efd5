// A growable list of frame numbers in ascending order: the packets a display filter kept.
// 4 bytes per matching packet; binary search finds a frame's row.
export class FrameList {
  private data = new Uint32Array(1024)
  private n = 0

  get length(): number {
    return this.n
  }

  push(frameNo: number): void {
    if (this.n === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.n++] = frameNo
  }

  at(i: number): number {
    return this.data[i]!
  }

  /** Row of `frameNo`, or -(insertion point) - 1 when it is not in the list. */
  indexOf(frameNo: number): number {
    let lo = 0
    let hi = this.n - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const v = this.data[mid]!
      if (v < frameNo) lo = mid + 1
      else if (v > frameNo) hi = mid - 1
      else return mid
    }
    return -lo - 1
  }
}
