package paper

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/xuri/excelize/v2"
)

func fuzzDemo(f *testing.F) *campaign.Definition {
	f.Helper()
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		f.Fatal(err)
	}
	return def
}

// checkEntry fails when an entry is not of the layout's shape or holds a mark no keyer can type.
func checkEntry(t *testing.T, l *Layout, e Entry) {
	t.Helper()
	if len(e.Fields) != len(l.Fields) || len(e.Units) != len(l.Units) {
		t.Fatalf("entry of %d fields and %d units for a layout of %d and %d", len(e.Fields), len(e.Units), len(l.Fields), len(l.Units))
	}
	for _, it := range l.Items() {
		a := e.At(it)
		if a != response.Blank && a != response.Multi && (a.Option() < 1 || a.Option() > len(it.Options)) {
			t.Fatalf("item %s holds %q, not an option of %d", it.Name, a, len(it.Options))
		}
	}
}

// FuzzKeyedEntry feeds the keying screen's parser any keyed values: it must never panic, read
// only marks a keyer may type, report each problem on an item of the layout, and store a
// keying that reads back as the same entry.
func FuzzKeyedEntry(f *testing.F) {
	def := fuzzDemo(f)
	single, err := NewLayout(def, "S2", "SNV")
	if err != nil {
		f.Fatal(err)
	}
	matrix, err := NewLayout(def, "S1", "")
	if err != nil {
		f.Fatal(err)
	}
	var all strings.Builder
	for i, it := range single.Items() {
		if i > 0 {
			all.WriteByte('&')
		}
		all.WriteString(it.Name + "=" + string(rune('1'+i%2)))
	}
	f.Add(false, false, []byte(all.String()))
	f.Add(true, true, []byte("q_C1_SNV=1&q_C1_STP=*&q_C2_SNV=0&r_gioi_tinh=x"))
	f.Add(false, true, []byte("q_C1= 2 &q_C2=22&q_C3=\xff&q_C4=０&q_C5=+&q_C6=-1"))
	f.Add(false, false, []byte("q_C1=<script>alert(1)</script>&q_C2=' OR 1=1 --"))
	f.Fuzz(func(t *testing.T, isMatrix, lenient bool, body []byte) {
		l := single
		if isMatrix {
			l = matrix
		}
		values := map[string]string{}
		for _, pair := range bytes.Split(body, []byte("&")) {
			k, v, _ := bytes.Cut(pair, []byte("="))
			values[string(k)] = string(v)
		}
		e, probs := l.Read(func(name string) string { return values[name] }, lenient)
		checkEntry(t, l, e)
		for _, p := range probs {
			if _, ok := l.Item(p.Name); !ok || p.Msg == "" {
				t.Fatalf("problem %+v on no item of the layout", p)
			}
		}
		answers := map[string]string{}
		for _, u := range e.Units {
			answers[u.Unit] = string(u.Answers)
		}
		back, err := l.FromKeyed(l.KeyedJSON(e), answers)
		if err != nil {
			t.Fatalf("a stored keying does not read back: %v", err)
		}
		if back.Digest() != e.Digest() {
			t.Fatalf("keying read back as %+v, was %+v", back, e)
		}
	})
}

// FuzzReadKey feeds one keyed item any string: an accepted key is a mark of the item.
func FuzzReadKey(f *testing.F) {
	for _, s := range []string{"1", "0", "*", "x", "9", "10", " 3 ", "", "\xff", "٣"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = 1 + abs(n)%9
		a, err := ReadKey(s, n)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("a refused key has no message")
			}
			return
		}
		if a != response.Blank && a != response.Multi && (a.Option() < 1 || a.Option() > n) {
			t.Fatalf("ReadKey(%q, %d) = %q", s, n, a)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// importSeeds are an import file of group S2 about SNV, as CSV and as XLSX.
func importSeeds(f *testing.F, def *campaign.Definition) (csvFile, xlsxFile []byte) {
	l, err := TemplateLayout(def, "S2")
	if err != nil {
		f.Fatal(err)
	}
	table := [][]string{l.Columns()}
	for i := 1; i <= 3; i++ {
		row := []string{formcode.New("S2", "SNV", i), "20/11/2026"}
		for j := range l.Items() {
			row = append(row, string(rune('0'+j%4)))
		}
		table = append(table, row)
	}
	var b strings.Builder
	x := excelize.NewFile()
	for i, row := range table {
		b.WriteString(strings.Join(row, ",") + "\n")
		cells := make([]any, len(row))
		for j := range row {
			cells[j] = row[j]
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &cells); err != nil {
			f.Fatal(err)
		}
	}
	var xb bytes.Buffer
	if err := x.Write(&xb); err != nil {
		f.Fatal(err)
	}
	return []byte(b.String()), xb.Bytes()
}

// FuzzImportFile feeds the bulk-import reader any file, CSV or XLSX: it must never panic, and
// what it accepts must be rows of the file with entries of their layout's shape; every
// problem is on a line of the file and says what is wrong.
func FuzzImportFile(f *testing.F) {
	def := fuzzDemo(f)
	csvFile, xlsxFile := importSeeds(f, def)
	f.Add(false, csvFile)
	f.Add(true, xlsxFile)
	f.Add(false, []byte("\ufeffma_phieu;ngay_nhan;q_C1\n=HYPERLINK(\"x\");32/13/2026;@SUM(A1)\n"))
	f.Add(false, []byte("ma_phieu,ma_phieu\n\"unterminated,1\n"))
	f.Fuzz(func(t *testing.T, xlsx bool, data []byte) {
		name := "tep.csv"
		if xlsx {
			name = "tep.xlsx"
		}
		table, err := ReadTable(name, bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("a refused file has no message")
			}
			return
		}
		rows, errs := ParseTable(def, table)
		last := max(len(table), 1)
		for _, e := range errs {
			if e.Msg == "" || e.Line < 1 || e.Line > last+1 {
				t.Fatalf("problem %+v for a file of %d lines", e, len(table))
			}
		}
		for _, r := range rows {
			if r.Line < 2 || r.Line > len(table) || r.Code == "" || r.Layout == nil || r.Digest == "" {
				t.Fatalf("row %+v of a file of %d lines", r, len(table))
			}
			checkEntry(t, r.Layout, r.Entry)
		}
	})
}
