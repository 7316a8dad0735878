package store

import (
	"context"
	"errors"
	"testing"
)

func TestComparisonLinks(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	now, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	def := demo(t)
	def.Code, def.Year = def.Code+"-truoc", def.Year-1
	earlier, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows := []UnitMapping{{Unit: "B", Earlier: "B2", Weight: "1", Row: 3}, {Unit: "B", Earlier: "B1", Weight: "3/2", Row: 2}, {Unit: "C", Row: 4}}

	t.Run("a campaign has no link until one is saved", func(t *testing.T) {
		if _, err := db.ComparisonLink(ctx, now.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err %v", err)
		}
		if err := db.DeleteComparisonLink(ctx, now.ID, 0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delete without a link: %v", err)
		}
	})
	t.Run("a link comes back with its mapping in sheet order", func(t *testing.T) {
		if err := db.SaveComparisonLink(ctx, &ComparisonLink{CampaignID: now.ID, EarlierID: earlier.ID, Source: "ghep.xlsx", Mappings: rows}, false, 0); err != nil {
			t.Fatal(err)
		}
		l, err := db.ComparisonLink(ctx, now.ID)
		if err != nil || l.EarlierID != earlier.ID || l.Source != "ghep.xlsx" || len(l.Mappings) != 3 {
			t.Fatalf("link %+v %v", l, err)
		}
		if l.Mappings[0].Earlier != "B1" || l.Mappings[0].Weight != "3/2" || l.Mappings[2].Earlier != "" || l.Mappings[2].Weight != "" {
			t.Fatalf("mappings %+v", l.Mappings)
		}
	})
	t.Run("relinking to the same campaign may keep the mapping", func(t *testing.T) {
		l := &ComparisonLink{CampaignID: now.ID, EarlierID: earlier.ID}
		if err := db.SaveComparisonLink(ctx, l, true, 0); err != nil {
			t.Fatal(err)
		}
		got, _ := db.ComparisonLink(ctx, now.ID)
		if l.Source != "ghep.xlsx" || got.Source != "ghep.xlsx" || len(got.Mappings) != 3 {
			t.Fatalf("kept %q, stored %+v", l.Source, got)
		}
		if err := db.SaveComparisonLink(ctx, &ComparisonLink{CampaignID: now.ID, EarlierID: earlier.ID}, false, 0); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ComparisonLink(ctx, now.ID); got.Source != "" || len(got.Mappings) != 0 {
			t.Fatalf("not dropped: %+v", got)
		}
	})
	t.Run("a campaign cannot compare with itself, and a weight-less mapping to a unit is refused by the schema", func(t *testing.T) {
		if err := db.SaveComparisonLink(ctx, &ComparisonLink{CampaignID: now.ID, EarlierID: now.ID}, false, 0); !errors.Is(err, ErrSameCampaign) {
			t.Fatalf("self link: %v", err)
		}
		bad := []UnitMapping{{Unit: "B", Earlier: "B1", Weight: "", Row: 2}}
		if err := db.SaveComparisonLink(ctx, &ComparisonLink{CampaignID: now.ID, EarlierID: earlier.ID, Mappings: bad}, false, 0); err == nil {
			t.Fatal("a mapping without weight was stored")
		}
		if got, _ := db.ComparisonLink(ctx, now.ID); got == nil || len(got.Mappings) != 0 {
			t.Fatalf("a refused save changed the link: %+v", got)
		}
	})
	t.Run("unlinking removes link and mapping", func(t *testing.T) {
		db.SaveComparisonLink(ctx, &ComparisonLink{CampaignID: now.ID, EarlierID: earlier.ID, Source: "x.csv", Mappings: rows}, false, 0)
		if err := db.DeleteComparisonLink(ctx, now.ID, 0); err != nil {
			t.Fatal(err)
		}
		var n int
		db.read.QueryRowContext(ctx, `SELECT count(*) FROM unit_mappings`).Scan(&n)
		if _, err := db.ComparisonLink(ctx, now.ID); !errors.Is(err, ErrNotFound) || n != 0 {
			t.Fatalf("after unlink: %v, %d mappings", err, n)
		}
	})
}
