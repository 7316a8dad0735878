// Package qr draws QR codes for form links so that a creased, smudged or badly photographed
// paper copy still scans: at least medium error correction (about 15% of the symbol may be
// damaged), and more whenever it costs no extra modules.
package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Modules returns the QR code for text as rows of modules, true for dark, without the white
// border (quiet zone) that must surround it: four modules on each side. Drawing code such as the
// PDF writer paints these as vector squares, which stay sharp at any print resolution.
//
// The symbol has the fewest modules that medium error correction allows, and within that size
// the strongest correction that fits (quartile, 25%, or high, 30%): on a printed page of fixed
// size, larger modules matter more to a phone camera than more correction in smaller ones.
func Modules(text string) ([][]bool, error) {
	q, err := Encode(text)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// Encode chooses the symbol Modules draws: its version (size) and error correction level.
func Encode(text string) (*qrcode.QRCode, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr: encode %q: %w", text, err)
	}
	for _, level := range []qrcode.RecoveryLevel{qrcode.Highest, qrcode.High} {
		if s, err := qrcode.New(text, level); err == nil && s.VersionNumber == q.VersionNumber {
			return s, nil
		}
	}
	return q, nil
}
