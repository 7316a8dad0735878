package pdf

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Batch is one PDF file of a print run split into several: its file name and its copies.
type Batch struct {
	Name   string
	Copies []Copy
}

// Batches splits copies into batches of at most n copies each, in order, named after the codes
// of their first and last copies ("S2-SNV-0001K_S2-SNV-0500M.pdf"). A print run split this way
// keeps memory bounded: only one batch's PDF is held at a time. Callers who want one file per
// unit build their batches themselves.
func Batches(copies []Copy, n int) []Batch {
	if n < 1 {
		n = 1
	}
	var out []Batch
	for start := 0; start < len(copies); start += n {
		part := copies[start:min(start+n, len(copies))]
		name := part[0].Code
		if len(part) > 1 {
			name += "_" + part[len(part)-1].Code
		}
		out = append(out, Batch{Name: name + ".pdf", Copies: part})
	}
	return out
}

// WriteQuestionnairesZIP writes a ZIP archive holding one PDF per batch, each made as by
// WriteQuestionnaires. Each PDF is written into the archive before the next one is made.
func WriteQuestionnairesZIP(w io.Writer, q *campaign.Questionnaire, units []campaign.Unit, org string, batches []Batch) error {
	zw := zip.NewWriter(w)
	now := time.Now()
	for _, b := range batches {
		// PDF content streams are compressed already; storing them saves time and little space.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: b.Name, Method: zip.Store, Modified: now})
		if err != nil {
			return fmt.Errorf("pdf: zip %s: %w", b.Name, err)
		}
		if err := WriteQuestionnaires(f, q, units, org, b.Copies); err != nil {
			return fmt.Errorf("pdf: batch %s: %w", b.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("pdf: zip: %w", err)
	}
	return nil
}
