package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

func TestScheduledBackupsKeepTheNewestCopies(t *testing.T) {
	cfg := testConfig(t)
	cfg.BackupDir, cfg.BackupEvery, cfg.BackupKeep = filepath.Join(t.TempDir(), "saoluu"), time.Hour, 2
	a, _ := open(t, cfg)
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var paths []string
	for i := 0; i < 3; i++ {
		p, err := a.BackupNow(context.Background(), start.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	entries, _ := os.ReadDir(cfg.BackupDir)
	if len(entries) != 2 || entries[0].Name() != filepath.Base(paths[1]) || entries[1].Name() != filepath.Base(paths[2]) {
		t.Fatalf("backups kept: %v", entries)
	}
	if !strings.HasSuffix(paths[2], "parsurvey-20261201-100000.db") {
		t.Fatalf("backup named %s", paths[2])
	}
	if err := store.Check(paths[2]); err != nil {
		t.Fatal(err)
	}
}

func TestASecondServiceOnTheSameDatabaseIsRefused(t *testing.T) {
	cfg := testConfig(t)
	open(t, cfg)
	_, err := New(context.Background(), cfg, io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "đang được một dịch vụ parsurvey khác dùng") {
		t.Fatalf("second service: %v", err)
	}
}
