package outreach

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/smtptest"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// BenchmarkInvitations10k sends invitations to 10,000 people (ten lists of 1,000) through a real
// SMTP exchange with a server on loopback, from a durable database (synchronous=FULL, as the
// service runs), with no rate limit: what the sender itself can do. It reports invitations/s.
//
//	go test -run x -bench Invitations10k -benchtime 1x ./internal/outreach
func BenchmarkInvitations10k(b *testing.B) {
	const lists, perList = 10, 1000
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		db.SetClock(func() time.Time { return inWindow })
		c := testenv.Demo(b, db)
		units := c.Def.UnitsOfKind("so")[:lists]
		for li, u := range units {
			addPeople(b, db, c, u.Code, perList, func(i int) string { return fmt.Sprintf("nguoi%d.%d@x.vn", li, i) })
		}
		srv := smtptest.Start(b, smtptest.Options{Discard: true})
		m, err := NewSMTP(SMTPConfig{Addr: srv.Addr, From: "Viện Nghiên cứu <khaosat@vien.test>", TLS: "none"})
		if err != nil {
			b.Fatal(err)
		}
		svc := New(db, "https://khaosat.binhan.gov.vn", m, Options{})
		b.StartTimer()
		start := time.Now()
		if _, n, err := svc.SendEmails(ctx, c, Selection{Group: "S3"}, Invitation, 0); err != nil || n != lists*perList {
			b.Fatal(n, err)
		}
		if !srv.Wait(lists*perList, 5*time.Minute) {
			b.Fatalf("%d of %d delivered", srv.Count(), lists*perList)
		}
		for svc.Sending() {
			time.Sleep(time.Millisecond)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		svc.Close()
		var sent int
		if err := db.ReadRow(ctx, `SELECT count(*) FROM outreach_messages WHERE status = 'sent'`, nil, &sent); err != nil || sent != lists*perList {
			b.Fatalf("%d recorded as sent, err %v", sent, err)
		}
		db.Close()
		b.ReportMetric(float64(lists*perList)/elapsed.Seconds(), "invitations/s")
		b.ReportMetric(elapsed.Seconds(), "s/10k")
		b.StartTimer()
	}
}
