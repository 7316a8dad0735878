package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The two-level demo's results: each level's units show their own tree and survey points, in
// the pages and in the exports.
func TestResultsOfTwoLevels(t *testing.T) {
	t.Parallel()
	e, path := newPopulationsEnv(t)
	base := strings.TrimSuffix(path, "/dashboard")
	admin := e.client()
	admin.login("admin")
	if resp, _ := admin.post(base+"/results/runs", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("compute: status %d", resp.StatusCode)
	}
	t.Run("the ranking measures each level against its own survey points", func(t *testing.T) {
		resp, body := admin.get(base + "/results")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Xếp hạng: Sở, ban, ngành", "Xếp hạng: Xã, phường, đặc khu", "So với 32,00 điểm", "So với 30,00 điểm", "/32,00 điểm</title>", "/30,00 điểm</title>")
	})
	t.Run("an agency's page shows the agencies' tree, a ward's page the communes' tree", func(t *testing.T) {
		resp, body := admin.get(base + "/results/units/SNV")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("SNV: status %d", resp.StatusCode)
		}
		mustContain(t, body, "Cải cách thể chế", "Tính kịp thời của văn bản", "</strong> / 32,00 điểm")
		resp, body = admin.get(base + "/results/units/P01")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("P01: status %d", resp.StatusCode)
		}
		mustContain(t, body, "Thủ tục hành chính và Trung tâm Phục vụ hành chính công cấp xã", "Không yêu cầu giấy tờ ngoài quy định", "</strong> / 30,00 điểm")
		if strings.Contains(body, "Cải cách thể chế") {
			t.Error("the ward's page shows the agencies' tree")
		}
	})
	t.Run("the CSV gives each unit the points of its own tree's sub-criteria", func(t *testing.T) {
		resp, body := admin.get(base + "/results/export.csv")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		for _, rec := range recs[1:] {
			switch rec[2] {
			case "P01":
				if rec[col["2.1.3"]] != "" || rec[col["2.2.3"]] == "" {
					t.Errorf("P01: 2.1.3 %q (agencies only), 2.2.3 %q", rec[col["2.1.3"]], rec[col["2.2.3"]])
				}
			case "SNV":
				if rec[col["2.1.3"]] == "" || rec[col["3.1.3"]] != "" {
					t.Errorf("SNV: 2.1.3 %q, 3.1.3 %q (communes only)", rec[col["2.1.3"]], rec[col["3.1.3"]])
				}
			}
		}
	})
	t.Run("the workbook names each unit's areas from its own tree", func(t *testing.T) {
		resp, body := admin.get(base + "/results/export.xlsx")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		found := map[string]bool{}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if len(r) > 4 && (r[0] == "P01" || r[0] == "SNV") && r[2] == "Lĩnh vực" {
					found[r[0]+" "+r[4]] = true
				}
			}
		}
		if !found["P01 Thủ tục hành chính và Trung tâm Phục vụ hành chính công cấp xã"] || !found["SNV Cải cách thể chế"] || found["P01 Cải cách thể chế"] {
			t.Errorf("area rows found: %v", found)
		}
	})
}
