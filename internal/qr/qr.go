// Package qr draws QR codes for form links, with medium error correction (about 15% of the
// symbol may be damaged) so a creased or smudged paper copy still scans.
package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// PNG returns a PNG image of the QR code for text, size pixels wide and high, white border
// included. A negative size gives an image of -size pixels per module instead, which keeps every
// module the same size.
func PNG(text string, size int) ([]byte, error) {
	b, err := qrcode.Encode(text, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("qr: encode %q: %w", text, err)
	}
	return b, nil
}

// Modules returns the QR code for text as rows of modules, true for dark, without the white
// border (quiet zone) that must surround it: four modules on each side. Drawing code such as the
// PDF writer paints these as vector squares, which stay sharp at any print resolution.
func Modules(text string) ([][]bool, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr: encode %q: %w", text, err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}
