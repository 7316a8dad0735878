package intake_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/paper"
)

func TestImport(t *testing.T) {
	f := newFixture(t)
	var codes []string
	for _, x := range f.forms("S2", "SNV") {
		codes = append(codes, x.Code)
	}
	good := codes[:5]
	// A form keyed from paper is the keying screen's; an import may not take it over.
	f.mustKey(f.batch("S2", "SNV", 5), nil, f.keyers[0], codes[9], entry(t, f.layout("S2", "SNV"), ones))
	stored := func() int { return f.count(`SELECT count(*) FROM responses`) }

	for _, tc := range []struct {
		name string
		// edit spoils one row of a good file's table.
		edit         func(table [][]string)
		line         int
		column, want string
	}{
		{"an option out of range", func(tb [][]string) { tb[2][column(t, tb, "q_C3")] = "9" }, 3, "q_C3", "không phải lựa chọn"},
		{"a code never issued", func(tb [][]string) { tb[3][0] = formcode.New("S2", "SNV", 99) }, 4, paper.ColumnCode, "chưa được phát hành"},
		{"a receipt day that does not exist", func(tb [][]string) { tb[1][column(t, tb, paper.ColumnDate)] = "31/02/2026" }, 2, paper.ColumnDate, "không đúng dạng"},
		{"a code being keyed from paper", func(tb [][]string) { tb[5][0] = codes[9] }, 6, paper.ColumnCode, "đang được nhập tay"},
	} {
		t.Run("a file with "+tc.name+" in one row stores nothing and lists the row with its line and column", func(t *testing.T) {
			table := f.importTable(good)
			tc.edit(table)
			res, err := f.upload("vien.xlsx", xlsx(t, table))
			if fault.KindOf(err) != fault.Invalid {
				t.Fatalf("err %v", err)
			}
			if len(res.Errors) != 1 {
				t.Fatalf("errors %v", res.Errors)
			}
			if e := res.Errors[0]; e.Line != tc.line || e.Column != tc.column || !strings.Contains(e.Msg, tc.want) {
				t.Fatalf("error %s, want line %d, column %s: …%s…", e, tc.line, tc.column, tc.want)
			}
			if res.Stored != 0 || stored() != 0 || f.count(`SELECT count(*) FROM audit_log WHERE action = 'paper.import'`) != 0 {
				t.Fatalf("stored %d (%d rows)", res.Stored, stored())
			}
		})
	}

	t.Run("a file that is no spreadsheet is refused on its first line", func(t *testing.T) {
		res, err := f.upload("vien.pdf", []byte("%PDF-1.4"))
		if fault.KindOf(err) != fault.Invalid || len(res.Errors) != 1 || res.Errors[0].Line != 1 || stored() != 0 {
			t.Fatalf("res %+v, err %v", res, err)
		}
	})

	file := xlsx(t, f.importTable(good))
	t.Run("a good file stores every row as a valid import", func(t *testing.T) {
		res, err := f.upload("vien.xlsx", file)
		if err != nil || res.Stored != len(good) || res.Already != 0 || res.Invalid != 0 || len(res.Errors) != 0 {
			t.Fatalf("res %+v, err %v", res, err)
		}
		if n := f.count(`SELECT count(*) FROM responses r JOIN response_answers a ON a.response_id = r.id
			WHERE r.channel = 'import' AND r.valid = 1 AND a.valid = 1 AND a.answers = ?`, strings.Repeat("1", 32)); n != len(good) {
			t.Fatalf("%d valid imported responses", n)
		}
		received := f.text(`SELECT min(received_at) FROM responses`)
		if at, _ := time.Parse(time.RFC3339Nano, received); !at.Equal(paperDay) || f.text(`SELECT max(received_at) FROM responses`) != received {
			t.Fatalf("received %s, want the file's day", received)
		}
		if f.count(`SELECT count(*) FROM audit_log WHERE action = 'paper.import' AND subject = 'vien.xlsx' AND user_id = ?`, f.staff) != 1 {
			t.Fatal("not audited")
		}
	})

	t.Run("uploading it again stores nothing twice", func(t *testing.T) {
		res, err := f.upload("vien.xlsx", file)
		if err != nil || res.Stored != 0 || res.Already != len(good) {
			t.Fatalf("res %+v, err %v", res, err)
		}
		if stored() != len(good) || f.count(`SELECT count(*) FROM response_answers`) != len(good) {
			t.Fatalf("%d responses", stored())
		}
	})

	t.Run("the same rows as CSV are recognised as already stored", func(t *testing.T) {
		var b strings.Builder
		for _, row := range f.importTable(good) {
			b.WriteString(strings.Join(row, ";") + "\r\n")
		}
		res, err := f.upload("vien.csv", []byte("\xEF\xBB\xBF"+b.String()))
		if err != nil || res.Stored != 0 || res.Already != len(good) || stored() != len(good) {
			t.Fatalf("res %+v, err %v", res, err)
		}
	})

	t.Run("a row changed since the earlier upload refuses the whole file", func(t *testing.T) {
		table := f.importTable(append([]string{codes[5]}, good...))
		table[2][column(t, table, "q_C1")] = "2" // line 3: good[0] with another answer
		res, err := f.upload("vien-2.xlsx", xlsx(t, table))
		if fault.KindOf(err) != fault.Invalid || len(res.Errors) != 1 || res.Errors[0].Line != 3 || res.Errors[0].Column != paper.ColumnCode {
			t.Fatalf("res %+v, err %v", res, err)
		}
		if stored() != len(good) || f.count(`SELECT count(*) FROM responses r JOIN issued_forms f ON f.id = r.form_id WHERE f.code = ?`, codes[5]) != 0 {
			t.Fatal("part of the file was stored")
		}
	})

	t.Run("a sparse row is stored as an invalid form and counted as such", func(t *testing.T) {
		table := f.importTable([]string{codes[6]})
		for j := column(t, table, "q_C11"); j < len(table[1]); j++ {
			table[1][j] = "" // an empty cell is a blank item in a file: 10 of 32 answered
		}
		res, err := f.upload("vien-3.xlsx", xlsx(t, table))
		if err != nil || res.Stored != 1 || res.Invalid != 1 {
			t.Fatalf("res %+v, err %v", res, err)
		}
		reasons := f.text(`SELECT r.reasons FROM responses r JOIN issued_forms f ON f.id = r.form_id WHERE f.code = ? AND r.valid = 0`, codes[6])
		if !strings.Contains(reasons, "too_few_answers") {
			t.Fatalf("reasons %s", reasons)
		}
	})
}
