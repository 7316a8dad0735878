package campaign

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	d, err := loadEdited(t)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"a response one second before the opening day is outside", time.Date(2026, 10, 31, 23, 59, 59, 0, Zone), false},
		{"a response at midnight of the opening day is inside", time.Date(2026, 11, 1, 0, 0, 0, 0, Zone), true},
		{"a response late on the closing day is inside", time.Date(2026, 12, 31, 23, 59, 59, 0, Zone), true},
		{"a response at midnight after the closing day is outside", time.Date(2027, 1, 1, 0, 0, 0, 0, Zone), false},
		{"the window follows Vietnam's clock, not UTC", time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC), false},
		{"a UTC time that is still the closing day in Vietnam is inside", time.Date(2026, 12, 31, 16, 59, 0, 0, time.UTC), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := d.InWindow(c.at); got != c.want {
				t.Errorf("InWindow(%v) = %v", c.at, got)
			}
		})
	}
}

func TestLookups(t *testing.T) {
	d, err := loadEdited(t)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("lookups find what is declared and return nil otherwise", func(t *testing.T) {
		if d.Unit("STP") == nil || d.Unit("XYZ") != nil {
			t.Error("Unit")
		}
		if d.Kind("huyen") == nil || d.Kind("xa") != nil {
			t.Error("Kind")
		}
		if d.Group("G3") == nil || d.Group("G9") != nil {
			t.Error("Group")
		}
		if d.Questionnaire("M1") == nil || d.Questionnaire("X1") != nil {
			t.Error("Questionnaire")
		}
		if d.Scale("bon-muc") == nil || d.Scale("x") != nil {
			t.Error("Scale")
		}
		if s := d.Sub("1.1.2"); s == nil || s.Points != MustDecimal("2.5") || d.Sub("1.1") != nil {
			t.Error("Sub finds only sub-criteria")
		}
	})
	t.Run("units of a kind come in definition order", func(t *testing.T) {
		us := d.UnitsOfKind("so")
		if len(us) != 2 || us[0].Code != "SNV" || us[1].Code != "STP" {
			t.Errorf("got %v", us)
		}
	})
	t.Run("a quota override replaces the group quota for its unit only", func(t *testing.T) {
		g := d.Group("G1")
		if g.QuotaFor("STP") != 3 || g.QuotaFor("SNV") != 5 {
			t.Errorf("STP %d, SNV %d", g.QuotaFor("STP"), g.QuotaFor("SNV"))
		}
	})
	t.Run("a group with the imported channel is imported", func(t *testing.T) {
		if !d.Group("G3").Imported() || d.Group("G1").Imported() || !d.Group("G2").Has(ChannelOnline) {
			t.Error("channels misread")
		}
	})
	t.Run("questions come in section order and default to weight 1", func(t *testing.T) {
		qs := d.Questionnaire("F1").Questions()
		if len(qs) != 2 || qs[0].Code != "Q1" || qs[1].Code != "Q2" {
			t.Fatalf("got %v", qs)
		}
		if !qs[0].Scored() || qs[0].QuestionWeight() != MustDecimal("1") {
			t.Errorf("Q1 scored %v weight %s", qs[0].Scored(), qs[0].QuestionWeight())
		}
	})
}

func TestChannelNames(t *testing.T) {
	cases := []struct {
		name         string
		ch           Channel
		label, title string
	}{
		{"an online form reads as trực tuyến", ChannelOnline, "trực tuyến", "Trực tuyến"},
		{"a paper form reads as phiếu giấy", ChannelPaper, "phiếu giấy", "Phiếu giấy"},
		{"a group fed from SIPAS reads as nhập kết quả", ChannelSIPAS, "nhập kết quả", "Nhập kết quả"},
		{"a form from an import file reads as nhập từ tệp", ChannelFileImport, "nhập từ tệp", "Nhập từ tệp"},
		{"an unknown channel is shown as its code", Channel("fax"), "fax", "fax"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.ch.Label(); got != c.label {
				t.Errorf("Label() = %q, want %q", got, c.label)
			}
			if got := c.ch.Title(); got != c.title {
				t.Errorf("Title() = %q, want %q", got, c.title)
			}
		})
	}
	t.Run("the stored strings stay what forms/ and the database hold", func(t *testing.T) {
		if ChannelSIPAS != "imported" || ChannelFileImport != "import" || ChannelOnline != "online" || ChannelPaper != "paper" {
			t.Fatal("a channel's stored string changed")
		}
	})
}
