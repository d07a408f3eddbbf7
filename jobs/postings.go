package jobs

import (
	"encoding/binary"
	"math/bits"
)

// postings is an ascending list of document numbers, stored as uvarint gaps: a term that most
// openings use costs about a byte an opening instead of four. Numbers are added in increasing
// order only (the catalogue numbers documents as it appends them).
type postings struct {
	buf  []byte
	last uint32
	n    uint32
}

// add appends doc, which must be greater than every number added before; a repeat of the last
// number is ignored.
func (p *postings) add(doc uint32) {
	if p.n > 0 && doc <= p.last {
		return
	}
	p.buf = binary.AppendUvarint(p.buf, uint64(doc-p.last))
	p.last = doc
	p.n++
}

// each calls fn with every number, in ascending order.
func (p *postings) each(fn func(doc uint32)) {
	var doc uint32
	for b := p.buf; len(b) > 0; {
		gap, n := binary.Uvarint(b)
		doc += uint32(gap)
		fn(doc)
		b = b[n:]
	}
}

// setIn sets the bits of the list's numbers in m.
func (p *postings) setIn(m bitmap) {
	var doc uint32
	for b := p.buf; len(b) > 0; {
		gap, n := binary.Uvarint(b)
		doc += uint32(gap)
		m[doc>>6] |= 1 << (doc & 63)
		b = b[n:]
	}
}

// remap rewrites the list through newNum (old number → new number, or -1 for a number dropped),
// keeping the order: newNum must be increasing over the numbers it keeps.
func (p *postings) remap(newNum []int32) {
	var out postings
	p.each(func(doc uint32) {
		if n := newNum[doc]; n >= 0 {
			out.add(uint32(n))
		}
	})
	out.buf = append([]byte(nil), out.buf...) // trim the spare capacity of growth
	*p = out
}

// bitmap is a set of document numbers, one bit each: evaluating a query is a few passes of
// AND, OR and AND NOT over words of 64 openings.
type bitmap []uint64

func newBitmap(n int) bitmap { return make(bitmap, (n+63)/64) }

func (m bitmap) has(doc uint32) bool { return m[doc>>6]&(1<<(doc&63)) != 0 }
func (m bitmap) set(doc uint32)      { m[doc>>6] |= 1 << (doc & 63) }
func (m bitmap) clear(doc uint32)    { m[doc>>6] &^= 1 << (doc & 63) }

// grow returns m with room for n documents.
func (m bitmap) grow(n int) bitmap {
	for len(m) < (n+63)/64 {
		m = append(m, 0)
	}
	return m
}

func (m bitmap) and(o bitmap) {
	for i := range m {
		m[i] &= o[i]
	}
}

func (m bitmap) or(o bitmap) {
	for i := range m {
		m[i] |= o[i]
	}
}

func (m bitmap) andNot(o bitmap) {
	for i := range m {
		m[i] &^= o[i]
	}
}

func (m bitmap) count() int {
	n := 0
	for _, w := range m {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls fn with every number in the set, ascending.
func (m bitmap) each(fn func(doc uint32)) {
	for i, w := range m {
		for w != 0 {
			fn(uint32(i<<6 + bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}
