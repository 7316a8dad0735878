package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/store"
)

// campaignByName finds a campaign by its code, or by its number. When there is none by that
// name it says which there are, or, on a database without any, how to load one: a tool never
// loads the demo campaign itself.
func campaignByName(ctx context.Context, db *store.DB, name string) (*store.Campaign, error) {
	c, err := db.CampaignByCode(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		if id, perr := strconv.ParseInt(name, 10, 64); perr == nil {
			c, err = db.Campaign(ctx, id)
		}
	}
	if !errors.Is(err, store.ErrNotFound) {
		return c, err
	}
	list, err := db.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, noCampaigns(db)
	}
	codes := make([]string, len(list))
	for i, c := range list {
		codes[i] = c.Code
	}
	return nil, fmt.Errorf("không tìm thấy đợt khảo sát %q (cơ sở dữ liệu có: %s)", name, strings.Join(codes, ", "))
}

// noCampaigns is the error of a tool that needs a campaign on a database that has none.
func noCampaigns(db *store.DB) error {
	return fmt.Errorf("cơ sở dữ liệu %s chưa có đợt khảo sát nào; hãy chạy parsurvey load THƯ_MỤC để nạp định nghĩa", db.Path())
}
