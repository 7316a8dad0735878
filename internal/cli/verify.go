package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/parsurvey/parsurvey/internal/store"
)

func init() {
	register("verify", "kiểm tra nhật ký và phiếu trả lời có bị sửa ngoài parsurvey không: parsurvey verify TỆP.db", verifyCmd)
}

// verifyCmd walks the audit log's hash chain and checks every response against its seal
// (store.Verify); it fails when anything was changed, added or removed outside parsurvey.
func verifyCmd(ctx context.Context, args []string, env Env) error {
	c, fs, err := toolConfig("verify", args, env, []string{"db"}, nil)
	if err != nil {
		return err
	}
	path := c.DB
	switch fs.NArg() {
	case 0:
	case 1:
		path = fs.Arg(0)
	default:
		return fmt.Errorf("cách dùng: parsurvey verify [TỆP.db] (mặc định: --db)")
	}
	if _, err := os.Stat(path); err != nil && !store.IsPostgres(path) {
		return fmt.Errorf("không có cơ sở dữ liệu %s", path)
	}
	db, err := store.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Verify(ctx)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "Nhật ký: %d dòng", rep.Entries)
	if rep.Legacy > 0 {
		fmt.Fprintf(w, " (%d dòng ghi trước khi có chuỗi băm, không kiểm được)", rep.Legacy)
	}
	fmt.Fprintf(w, ".\nPhiếu trả lời: %d phiếu, %d phiếu khớp niêm phong", rep.Responses, rep.Sealed)
	if rep.Unsealed > 0 {
		fmt.Fprintf(w, ", %d phiếu lưu trước khi có niêm phong", rep.Unsealed)
	}
	fmt.Fprintln(w, ".")
	if rep.Head != "" {
		fmt.Fprintf(w, "Đầu chuỗi băm: dòng %d, %s — hãy ghi lại ở nơi khác để phát hiện cả việc xóa các dòng cuối.\n", rep.HeadID, rep.Head)
	}
	if rep.OK() {
		fmt.Fprintln(w, "Không phát hiện thay đổi nào ngoài parsurvey.")
		return nil
	}
	fmt.Fprintf(w, "Phát hiện %d vấn đề:\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintln(w, "  - "+p)
	}
	return fmt.Errorf("%s đã bị thay đổi ngoài parsurvey (%d vấn đề)", path, len(rep.Problems))
}
