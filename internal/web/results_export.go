package web

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
)

// exportName is the download's file name: campaign code and run number.
func exportName(run *scorerun.Run, ext string) string {
	return fmt.Sprintf("ket-qua-%s-lan-%d.%s", run.CampaignCode, run.ID, ext)
}

// attachment sets the headers of a file download.
func attachment(c *fiber.Ctx, contentType, name string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// sendSpooled writes a large file to a temporary file first, so that an error shows as an
// error page rather than a cut download, then streams it without holding it in memory.
func sendSpooled(c *fiber.Ctx, write func(w io.Writer) error) error {
	f, err := os.CreateTemp("", "parsurvey-export-*")
	if err != nil {
		return fmt.Errorf("web: spool export: %w", err)
	}
	os.Remove(f.Name()) // the open file stays readable; nothing is left behind
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("web: spool export: %w", err)
	}
	return c.SendStream(f, int(size)) // fasthttp closes f once sent
}

// sendBuffered writes a small file in memory first, so that an error shows as an error page
// rather than a cut download, then sends it.
func sendBuffered(c *fiber.Ctx, contentType, name string, write func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	attachment(c, contentType, name)
	return c.Send(buf.Bytes())
}

// rows streams the campaign's responses for an export written while the handler runs.
func (s *Server) rows(c *fiber.Ctx, cp *store.Campaign) export.Rows {
	return func(only bool, fn func(*store.ResponseRow) error) error {
		return s.db.ResponseRows(c.UserContext(), cp.ID, only, fn)
	}
}

// exportRun downloads a run as XLSX, JSON or CSV (scores per unit), or its analysis report as
// PDF or DOCX.
func (s *Server) exportRun(c *fiber.Ctx) error {
	cp, run, err := s.campaignRun(c)
	if err != nil {
		return err
	}
	if run == nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNoRun}
	}
	switch c.Params("format") {
	case "xlsx":
		attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exportName(run, "xlsx"))
		return sendSpooled(c, func(w io.Writer) error { return export.WriteXLSX(w, run, s.rows(c, cp)) })
	case "pdf", "docx":
		return s.sendReport(c, cp, run, c.Params("format"))
	case "json":
		return sendBuffered(c, fiber.MIMEApplicationJSONCharsetUTF8, exportName(run, "json"), func(w io.Writer) error { return export.WriteJSON(w, run) })
	default:
		return sendBuffered(c, "text/csv; charset=utf-8", exportName(run, "csv"), func(w io.Writer) error { return export.WriteScoresCSV(w, run) })
	}
}
