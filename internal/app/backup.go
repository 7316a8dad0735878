package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// backupPrefix names the scheduled backups, followed by their UTC time, so that names sort by age.
const backupPrefix = "parsurvey-"

// backups copies the live database into Cfg.BackupDir every Cfg.BackupEvery until ctx ends,
// keeping the newest Cfg.BackupKeep copies. A failed backup is logged and tried again at the
// next tick; the service goes on.
func (a *App) backups(ctx context.Context) {
	t := time.NewTicker(a.Cfg.BackupEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			path, err := a.BackupNow(ctx, now)
			if err != nil {
				a.Log.Error("scheduled backup failed", "dir", a.Cfg.BackupDir, "err", err)
				continue
			}
			a.Log.Info("scheduled backup", "path", path)
		}
	}
}

// BackupNow writes one scheduled backup named for now and removes the copies beyond
// Cfg.BackupKeep, oldest first; it returns the new copy's path.
func (a *App) BackupNow(ctx context.Context, now time.Time) (string, error) {
	path := filepath.Join(a.Cfg.BackupDir, backupPrefix+now.UTC().Format("20060102-150405")+".db")
	if err := a.DB.Backup(ctx, path); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(a.Cfg.BackupDir)
	if err != nil {
		return path, fmt.Errorf("app: list backups: %w", err)
	}
	var copies []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, backupPrefix) && strings.HasSuffix(name, ".db") && e.Type().IsRegular() {
			copies = append(copies, name)
		}
	}
	slices.Sort(copies)
	for len(copies) > a.Cfg.BackupKeep {
		if err := os.Remove(filepath.Join(a.Cfg.BackupDir, copies[0])); err != nil {
			return path, fmt.Errorf("app: rotate backups: %w", err)
		}
		copies = copies[1:]
	}
	return path, nil
}
