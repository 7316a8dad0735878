// Package qr draws QR codes for form links, with medium error correction (about 15% of the
// symbol may be damaged) so a creased or smudged paper copy still scans.
package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

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
