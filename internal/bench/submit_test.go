package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The load script is also a test: many distinct forms submitted at once over real HTTP must each
// be stored exactly once, with no failure (a context value reused across requests once made
// submissions land on the wrong form).
func TestSubmitStoresEveryFormExactlyOnce(t *testing.T) {
	var out bytes.Buffer
	if err := Submit(context.Background(), SubmitOptions{N: 400, Clients: 16, Dir: t.TempDir()}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "giữ 400 phiếu trả lời (cần đúng 400)") {
		t.Fatalf("unexpected report:\n%s", out.String())
	}
	t.Log("\n" + out.String())
}
