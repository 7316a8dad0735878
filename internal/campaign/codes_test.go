package campaign

import (
	"strings"
	"testing"
)

func TestCodesOfRealPlans(t *testing.T) {
	t.Run("questionnaire codes of real plans are legal", func(t *testing.T) {
		for _, code := range []string{"MAU_PHIEU_01", "CX1-LD", "01CT/2016", "CH1", "mau.02"} {
			if msg := formCodeProblem(code); msg != "" {
				t.Errorf("%s: %s", code, msg)
			}
		}
	})
	t.Run("an illegal questionnaire code names the rule it breaks and a legal spelling", func(t *testing.T) {
		for _, c := range []struct{ code, broken, suggest string }{
			{"Mẫu 01CT/2016", "có khoảng trắng", "Mau_01CT/2016"},
			{"Phiếu_số_1", "có ký tự “ế”", "Phieu_so_1"},
			{"-CX1", "bắt đầu bằng “-”", "CX1"},
			{"CX1..LD", "có hai dấu chấm liền nhau", "CX1.LD"},
			{"MAU_PHIEU_SO_01_DANH_CHO_DAI_BIEU_HDND", "dài 38 ký tự", "MAU_PHIEU_SO_01_DANH_CHO_DAI_BIE"},
		} {
			msg := formCodeProblem(c.code)
			if !strings.Contains(msg, c.broken) || !strings.Contains(msg, "gợi ý: "+c.suggest) || formCodeProblem(c.suggest) != "" {
				t.Errorf("%q: %s (want %q and a legal suggestion %q)", c.code, msg, c.broken, c.suggest)
			}
		}
	})
	t.Run("a unit or group code that cannot enter a form code says why, with a legal spelling", func(t *testing.T) {
		for _, c := range []struct{ code, broken, suggest string }{
			{"CX1-LD", "có ký tự “-”", "CX1LD"},
			{"snv", "có chữ thường", "SNV"},
			{"SO", "có chữ O", "S0"},
			{"SNNPTNT", "dài 7 ký tự", "SNNPTN"},
			{"Đặc khu", "dài 7 ký tự", "DACKHU"},
		} {
			msg := keyCodeProblem("nhóm", c.code)
			if !strings.Contains(msg, c.broken) || !strings.Contains(msg, "gợi ý: "+c.suggest) || keyCodeProblem("nhóm", c.suggest) != "" {
				t.Errorf("%q: %s (want %q and a legal suggestion %q)", c.code, msg, c.broken, c.suggest)
			}
		}
	})
}

func TestRealFormCodesLoad(t *testing.T) {
	for _, code := range []string{"MAU_PHIEU_01", "CX1-LD", "01CT/2016"} {
		t.Run(code+" loads as a questionnaire code", func(t *testing.T) {
			d, err := loadEdited(t, replace(f1YAML, "code: F1", "code: "+code), replace(campaignYAML, "form: F1", "form: "+code))
			if err != nil {
				t.Fatal(err)
			}
			if d.Questionnaire(code) == nil || d.Group("G1").Form != code {
				t.Errorf("no questionnaire %s after loading", code)
			}
		})
	}
}
