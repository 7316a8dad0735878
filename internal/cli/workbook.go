package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/workbook"
)

func init() {
	register("export-workbook", "ghi một đợt khảo sát ra sổ tính Excel (hoặc YAML nén .zip): parsurvey export-workbook NGUỒN TỆP.xlsx|TỆP.zip", exportWorkbook)
}

// isWorkbook reports whether a command's argument names a campaign workbook rather than a folder.
func isWorkbook(name string) bool { return strings.EqualFold(filepath.Ext(name), ".xlsx") }

// readWorkbook reads and checks a campaign workbook file.
func readWorkbook(name string) (*campaign.Definition, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("không đọc được %s: %w", name, err)
	}
	return workbook.Read(data)
}

// checkWorkbook is `check FILE.xlsx`: every problem on a line of its own, as for a folder.
func checkWorkbook(name string, env Env) error {
	def, err := readWorkbook(name)
	var ps workbook.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(env.Stdout, "%s: %s\n", name, p)
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%s: %d lỗi", name, len(ps))}
	}
	if err != nil {
		return err
	}
	printChecked(env.Stdout, name, def, func(w campaign.Problem) string { return name + ": " + w.String() })
	return nil
}

// loadWorkbook is `load FILE.xlsx`: the workbook's campaign is created or updated as a
// folder's would be, and refused with every problem when it has any.
func loadWorkbook(ctx context.Context, db *store.DB, name string, env Env) error {
	def, err := readWorkbook(name)
	if err != nil {
		var ps workbook.Problems
		if errors.As(err, &ps) {
			return fmt.Errorf("sổ tính %s có lỗi:\n%w", name, err)
		}
		return err
	}
	c, res, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		return err
	}
	switch res {
	case store.Created:
		fmt.Fprintf(env.Stdout, "Đã nạp đợt khảo sát %s (%s).\n", c.Code, c.Name)
	case store.Updated:
		fmt.Fprintf(env.Stdout, "Đã cập nhật đợt khảo sát %s lên phiên bản %d.\n", c.Code, c.Version)
	default:
		fmt.Fprintf(env.Stdout, "Đợt khảo sát %s không thay đổi.\n", c.Code)
	}
	return nil
}

// exportWorkbook writes a campaign, from a folder, a workbook or the database, as a workbook
// (or, for a .zip, as its YAML folder).
func exportWorkbook(ctx context.Context, args []string, env Env) error {
	c, fs, err := toolConfig("export-workbook", args, env, []string{"db"}, nil)
	if err != nil {
		return err
	}
	const use = "cách dùng: parsurvey export-workbook THƯ_MỤC|SỔ_TÍNH.xlsx|MÃ_ĐỢT TỆP.xlsx|TỆP.zip [--db TỆP]"
	if fs.NArg() != 2 {
		return errors.New(use)
	}
	src, dst := fs.Arg(0), fs.Arg(1)
	zip := strings.EqualFold(filepath.Ext(dst), ".zip")
	if !zip && !isWorkbook(dst) {
		return errors.New(use)
	}
	var def *campaign.Definition
	if st, statErr := os.Stat(src); statErr == nil && st.IsDir() {
		def, err = campaign.Load(os.DirFS(src), ".")
	} else if isWorkbook(src) {
		def, err = readWorkbook(src)
	} else {
		db, openErr := store.Open(c.DB)
		if openErr != nil {
			return openErr
		}
		defer db.Close()
		var camp *store.Campaign
		if camp, err = campaignByName(ctx, db, src); err == nil {
			def = camp.Def
		}
	}
	if err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if zip {
		err = workbook.WriteYAMLZip(out, def)
	} else {
		err = workbook.Write(out, def)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã ghi đợt khảo sát %s ra %s.\n", def.Code, dst)
	return nil
}
