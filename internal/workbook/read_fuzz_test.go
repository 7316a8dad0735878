package workbook

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzReadWorkbook feeds the workbook loader any bytes: it must never panic, refuse what it
// cannot take with Problems that each carry a message, and read a workbook it accepts to a
// definition that writes and reads back to the same digest. The committed corpus
// (testdata/fuzz/FuzzReadWorkbook) holds workbooks the package wrote from forms/demo,
// forms/demo-3cap and testdata/small, the small one with broken cells, and files that are not
// workbooks at all (a truncated zip, a zip without sheets, text).
func FuzzReadWorkbook(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("code,name\nx,y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := Read(data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Read returned %T %v, want Problems", err, err)
			}
			for _, p := range ps {
				if p.Msg == "" {
					t.Fatalf("problem %+v without a message", p)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, def); err != nil {
			t.Fatalf("an accepted definition does not write: %v", err)
		}
		again, err := Read(buf.Bytes())
		if err != nil {
			t.Fatalf("a workbook written from an accepted one does not read back:\n%v", err)
		}
		if again.Digest() != def.Digest() {
			t.Fatalf("a workbook read back to digest %s, was %s", again.Digest(), def.Digest())
		}
	})
}
