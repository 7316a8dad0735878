package web

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Respondents answer on phones over slow links, so their pages travel gzip-compressed when the
// browser asks (every browser does). The questionnaire page is rendered once per form and
// compressed once too: each static piece between the per-copy slots is a run of DEFLATE blocks
// of its own, ended by a sync flush, so a copy is those runs with its token, code and
// submission id spliced between them as stored blocks. Serving a copy costs a copy of the
// compressed bytes and a CRC, not a compression.

// deflatePieces compresses each segment's text on its own: every piece but the last ends with
// a sync flush (byte-aligned, not final), the last with the final block.
func deflatePieces(page []segment) ([][]byte, error) {
	out := make([][]byte, len(page))
	for i, seg := range page {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(seg.text); err != nil {
			return nil, err
		}
		if i < len(page)-1 {
			err = w.Flush()
		} else {
			err = w.Close()
		}
		if err != nil {
			return nil, err
		}
		out[i] = buf.Bytes()
	}
	return out, nil
}

// gzipHeader is a gzip member header: deflate, no name, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// writeGzip writes the cached page as a gzip stream, the slots filled as write fills them.
func (sf *surveyForm) writeGzip(buf *bytes.Buffer, token, code, sid string) {
	v := &copyValues{token: token, code: code, sid: sid}
	buf.Write(gzipHeader)
	var crc uint32
	size := 0
	for i, seg := range sf.page {
		buf.Write(sf.deflated[i])
		crc = crc32.Update(crc, crc32.IEEETable, seg.text)
		size += len(seg.text)
		b := v.slot(seg.slot)
		if len(b) == 0 {
			continue
		}
		// A stored block (BFINAL 0, BTYPE 00; the stream is byte-aligned after a sync flush):
		// its length, the length's complement, the bytes. Slot values are a few dozen bytes.
		n := uint16(len(b))
		buf.WriteByte(0)
		buf.Write(binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, n), ^n))
		buf.Write(b)
		crc = crc32.Update(crc, crc32.IEEETable, b)
		size += len(b)
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(size))
	buf.Write(trailer[:])
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip (and does not refuse it
// with q=0).
func acceptsGzip(c *fiber.Ctx) bool {
	for _, part := range strings.Split(c.Get(fiber.HeaderAcceptEncoding), ",") {
		name, params, _ := strings.Cut(part, ";")
		if name = strings.TrimSpace(name); !strings.EqualFold(name, "gzip") && !strings.EqualFold(name, "x-gzip") {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(p, "="); ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}

// gzipMinBytes is the size under which a page goes uncompressed: the notices are a few hundred
// bytes, where gzip's header and trailer save nothing.
const gzipMinBytes = 1400

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// sendRespondent sends a respondent's page rendered for this request (a notice, a page restored
// from a draft or shown again with its errors), compressed when the browser takes gzip.
func sendRespondent(c *fiber.Ctx, status int, body []byte) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Vary(fiber.HeaderAcceptEncoding)
	if len(body) < gzipMinBytes || !acceptsGzip(c) {
		return send(c, status, body)
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 6)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&buf)
	w.Write(body)
	err := w.Close()
	gzipWriters.Put(w)
	if err != nil {
		return send(c, status, body)
	}
	c.Set(fiber.HeaderContentEncoding, "gzip")
	return send(c, status, buf.Bytes())
}
