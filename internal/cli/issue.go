package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parsurvey/parsurvey/internal/app"
	"github.com/parsurvey/parsurvey/internal/issuing"
	"github.com/parsurvey/parsurvey/internal/store"
)

func init() {
	register("issue", "phát phiếu theo chỉ tiêu: parsurvey issue MÃ_ĐỢT [--group G] [--unit U] [--reserve 10]", issueCmd)
	register("print", "in phiếu hoặc thư mời: parsurvey print MÃ_ĐỢT [--group G] [--unit U] --out TỆP.pdf|TỆP.zip", printCmd)
	register("forms", "danh sách phát phiếu: parsurvey forms MÃ_ĐỢT [--group G] [--unit U] --out TỆP.xlsx|TỆP.csv", formsCmd)
	register("void", "hủy một phiếu: parsurvey void MÃ_PHIẾU --reason \"mất phiếu\" [--replace]", voidCmd)
}

// campaignArgs parses the common flags plus a selection and opens the campaign named by the
// first argument.
func campaignArgs(ctx context.Context, name string, args []string, env Env, extra func(fs *flag.FlagSet)) (*app.App, *store.Campaign, issuing.Selection, *positional, error) {
	var sel issuing.Selection
	a, fs, err := openApp(ctx, name, args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&sel.Group, "group", "", "mã nhóm đối tượng (mặc định: tất cả)")
		fs.StringVar(&sel.Unit, "unit", "", "mã đơn vị (mặc định: tất cả; MT cho phiếu ma trận)")
		if extra != nil {
			extra(fs)
		}
	})
	if err != nil {
		return nil, nil, sel, fs, err
	}
	if fs.NArg() != 1 {
		a.Close()
		return nil, nil, sel, fs, fmt.Errorf("thiếu mã đợt khảo sát")
	}
	c, err := a.DB.CampaignByCode(ctx, fs.Arg(0))
	if err != nil {
		a.Close()
		return nil, nil, sel, fs, fmt.Errorf("không tìm thấy đợt khảo sát %q", fs.Arg(0))
	}
	return a, c, sel, fs, nil
}

func issueCmd(ctx context.Context, args []string, env Env) error {
	var reserve int
	a, c, sel, _, err := campaignArgs(ctx, "issue", args, env, func(fs *flag.FlagSet) {
		fs.IntVar(&reserve, "reserve", 0, "phần trăm phiếu dự phòng thêm vào chỉ tiêu")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	svc := issuing.Service{DB: a.DB, BaseURL: a.Cfg.BaseURL}
	n, err := svc.Issue(ctx, c, sel.Group, sel.Unit, reserve, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã phát thêm %d phiếu cho %s.\n", n, c.Code)
	return nil
}

// outFile creates the output file and removes it again if writing fails.
func outFile(path string, write func(f *os.File) error) error {
	if path == "" {
		return fmt.Errorf("thiếu --out TỆP")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func printCmd(ctx context.Context, args []string, env Env) error {
	var out string
	a, c, sel, _, err := campaignArgs(ctx, "print", args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "tệp kết quả: .pdf (một nhóm) hoặc .zip (mỗi nhóm × đơn vị một tệp PDF)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	svc := issuing.Service{DB: a.DB, BaseURL: a.Cfg.BaseURL}
	return outFile(out, func(f *os.File) error {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".pdf":
			return svc.PrintPDF(ctx, c, sel, f)
		case ".zip":
			defer fmt.Fprintln(env.Stderr)
			return svc.PrintZIP(ctx, c, sel, f, func(done, total int) {
				fmt.Fprintf(env.Stderr, "\rĐã in %d/%d bản", done, total)
			})
		}
		return fmt.Errorf("--out phải là tệp .pdf hoặc .zip")
	})
}

func formsCmd(ctx context.Context, args []string, env Env) error {
	var out string
	a, c, sel, _, err := campaignArgs(ctx, "forms", args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "tệp kết quả: .xlsx hoặc .csv")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	svc := issuing.Service{DB: a.DB, BaseURL: a.Cfg.BaseURL}
	return outFile(out, func(f *os.File) error {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".xlsx":
			return svc.WriteDistributionXLSX(ctx, c, sel, f)
		case ".csv":
			return svc.WriteDistributionCSV(ctx, c, sel, f)
		}
		return fmt.Errorf("--out phải là tệp .xlsx hoặc .csv")
	})
}

func voidCmd(ctx context.Context, args []string, env Env) error {
	var reason string
	var replace bool
	a, fs, err := openApp(ctx, "void", args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "lý do hủy (bắt buộc)")
		fs.BoolVar(&replace, "replace", false, "phát một phiếu thay thế")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if fs.NArg() != 1 || strings.TrimSpace(reason) == "" {
		return fmt.Errorf("cách dùng: parsurvey void MÃ_PHIẾU --reason \"lý do\" [--replace]")
	}
	rep, err := a.DB.VoidForm(ctx, fs.Arg(0), reason, replace, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã hủy phiếu %s.\n", fs.Arg(0))
	if rep != nil {
		fmt.Fprintf(env.Stdout, "Phiếu thay thế: %s\n", rep.Code)
	}
	return nil
}
