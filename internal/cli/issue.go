package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/issuing"
	"github.com/parsurvey/parsurvey/internal/store"
)

func init() {
	register("issue", "phát phiếu theo chỉ tiêu: parsurvey issue MÃ_ĐỢT [--group G] [--unit U] [--reserve 10]; phiếu ma trận cho một danh sách đơn vị: --group G --units A,B,C [--count 1]", issueCmd)
	register("print", "in phiếu hoặc thư mời: parsurvey print MÃ_ĐỢT [--group G] [--unit U] --out TỆP.pdf|TỆP.zip", printCmd)
	register("forms", "danh sách phát phiếu: parsurvey forms MÃ_ĐỢT [--group G] [--unit U] --out TỆP.xlsx|TỆP.csv", formsCmd)
	register("void", "hủy một phiếu: parsurvey void MÃ_PHIẾU --reason \"mất phiếu\" [--replace]", voidCmd)
}

// campaignArgs parses the flags of a command that works on one campaign's forms (--db,
// --base-url for the links, a selection, and extra), opens the store and the campaign named by
// the first argument, and returns the issuing service over them.
func campaignArgs(ctx context.Context, name string, args []string, env Env, extra func(fs *flag.FlagSet)) (*issuing.Service, *store.Campaign, issuing.Selection, error) {
	var sel issuing.Selection
	db, cfg, fs, err := openStore(name, args, env, []string{"base-url"}, func(fs *flag.FlagSet) {
		fs.StringVar(&sel.Group, "group", "", "mã nhóm đối tượng (mặc định: tất cả)")
		fs.StringVar(&sel.Unit, "unit", "", "mã đơn vị (mặc định: tất cả; MT cho phiếu ma trận)")
		if extra != nil {
			extra(fs)
		}
	})
	if err != nil {
		return nil, nil, sel, err
	}
	if fs.NArg() != 1 {
		db.Close()
		return nil, nil, sel, fmt.Errorf("thiếu mã đợt khảo sát")
	}
	c, err := campaignByName(ctx, db, fs.Arg(0))
	if err != nil {
		db.Close()
		return nil, nil, sel, err
	}
	return &issuing.Service{DB: db, BaseURL: cfg.BaseURL}, c, sel, nil
}

func issueCmd(ctx context.Context, args []string, env Env) error {
	var reserve, count int
	var units string
	svc, c, sel, err := campaignArgs(ctx, "issue", args, env, func(fs *flag.FlagSet) {
		fs.IntVar(&reserve, "reserve", 0, "phần trăm phiếu dự phòng thêm vào chỉ tiêu")
		fs.StringVar(&units, "units", "", "phiếu ma trận chỉ hỏi về các đơn vị này (mã, cách nhau bằng dấu phẩy)")
		fs.IntVar(&count, "count", 1, "số phiếu cho danh sách --units")
	})
	if err != nil {
		return err
	}
	defer svc.DB.Close()
	var n int
	if units != "" {
		if sel.Group == "" || sel.Unit != "" {
			return fmt.Errorf("--units cần --group của một nhóm phiếu ma trận và không dùng cùng --unit")
		}
		n, err = svc.IssueUnits(ctx, c, sel.Group, campaign.SplitUnitList(units), count, 0)
	} else {
		n, err = svc.Issue(ctx, c, sel.Group, sel.Unit, reserve, 0)
	}
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

// selectionWriter writes a campaign's selected forms to w in one file format; it has the shape
// of the Service methods that do so, as method expressions: (*issuing.Service).PrintPDF.
type selectionWriter func(svc *issuing.Service, ctx context.Context, c *store.Campaign, sel issuing.Selection, w io.Writer) error

// toFile runs a command that writes a campaign's selection to the --out file (usage describes
// it), in the format its extension names: formats maps an extension (".pdf") to its writer, and
// any other extension fails with wrongExt.
func toFile(ctx context.Context, name string, args []string, env Env, usage, wrongExt string, formats map[string]selectionWriter) error {
	var out string
	svc, c, sel, err := campaignArgs(ctx, name, args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", usage)
	})
	if err != nil {
		return err
	}
	defer svc.DB.Close()
	return outFile(out, func(f *os.File) error {
		write, ok := formats[strings.ToLower(filepath.Ext(out))]
		if !ok {
			return errors.New(wrongExt)
		}
		return write(svc, ctx, c, sel, f)
	})
}

func printCmd(ctx context.Context, args []string, env Env) error {
	return toFile(ctx, "print", args, env, "tệp kết quả: .pdf (một nhóm) hoặc .zip (mỗi nhóm × đơn vị một tệp PDF)",
		"--out phải là tệp .pdf hoặc .zip", map[string]selectionWriter{
			".pdf": (*issuing.Service).PrintPDF,
			".zip": func(svc *issuing.Service, ctx context.Context, c *store.Campaign, sel issuing.Selection, w io.Writer) error {
				defer fmt.Fprintln(env.Stderr)
				return svc.PrintZIP(ctx, c, sel, w, func(done, total int) {
					fmt.Fprintf(env.Stderr, "\rĐã in %d/%d bản", done, total)
				})
			},
		})
}

func formsCmd(ctx context.Context, args []string, env Env) error {
	return toFile(ctx, "forms", args, env, "tệp kết quả: .xlsx hoặc .csv", "--out phải là tệp .xlsx hoặc .csv", map[string]selectionWriter{
		".xlsx": (*issuing.Service).WriteDistributionXLSX,
		".csv":  (*issuing.Service).WriteDistributionCSV,
	})
}

func voidCmd(ctx context.Context, args []string, env Env) error {
	var reason string
	var replace bool
	db, _, fs, err := openStore("void", args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "lý do hủy (bắt buộc)")
		fs.BoolVar(&replace, "replace", false, "phát một phiếu thay thế")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 || strings.TrimSpace(reason) == "" {
		return fmt.Errorf("cách dùng: parsurvey void MÃ_PHIẾU --reason \"lý do\" [--replace]")
	}
	rep, err := db.VoidForm(ctx, fs.Arg(0), reason, replace, 0)
	if errors.Is(err, store.ErrNotFound) {
		if list, lerr := db.Campaigns(ctx); lerr == nil && len(list) == 0 {
			return noCampaigns(db)
		}
		return fmt.Errorf("không tìm thấy phiếu %s", fs.Arg(0))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã hủy phiếu %s.\n", fs.Arg(0))
	if rep != nil {
		fmt.Fprintf(env.Stdout, "Phiếu thay thế: %s\n", rep.Code)
	}
	return nil
}
