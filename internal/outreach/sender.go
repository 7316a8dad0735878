package outreach

import (
	"context"
	"errors"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

// How the sender works through the queue.
const (
	// dueBatch is how many queued e-mails are read at a time.
	dueBatch = 64
	// flushEvery bounds how long outcomes wait before they are stored, so that the progress page
	// moves and a crash re-sends at most that many seconds of e-mails.
	flushEvery = 500 * time.Millisecond
	// idleWait bounds a wait for a retry that is due later: a new send may come meanwhile.
	idleWait = 30 * time.Second
)

// Reasons an e-mail is skipped, for staff (stored as the message's error).
const (
	skipAnswered = "Không gửi: người này đã trả lời trước khi thư được gửi."
	skipVoided   = "Không gửi: phiếu của người này đã bị hủy."
	skipClosed   = "Không gửi: đợt khảo sát đã khóa."
)

// kick makes sure the sender is running and will look at the queue again.
func (s *Service) kick() {
	if s.mailer == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.pending = true
	if s.running {
		return
	}
	s.running = true
	s.wg.Add(1)
	go s.run()
}

// Sending reports whether the sender is at work.
func (s *Service) Sending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

// run sends queued e-mails until none is left, keeping to the rate, then returns. An e-mail the
// server refuses for now is queued again after a delay that grows each time, and recorded as
// failed after its last attempt; one refused for good fails at once.
func (s *Service) run() {
	defer s.wg.Done()
	stopped := false // finish has marked the sender stopped
	defer func() {
		if !stopped {
			s.mu.Lock()
			s.running = false
			s.mu.Unlock()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	defer func() {
		if !stopped { // a sender that stopped closed the mailer before it said so (waitForMore)
			s.mailer.Close()
		}
	}()
	var interval time.Duration
	if s.opts.Rate > 0 {
		interval = time.Duration(float64(time.Second) / s.opts.Rate)
	}
	next := time.Now()
	camps := map[int64]*store.Campaign{}
	var outs []store.EmailOutcome
	lastFlush := time.Now()
	flush := func() {
		if err := s.db.SaveEmailOutcomes(context.Background(), outs); err != nil {
			s.opts.Log.Error("outreach: save e-mail outcomes", "count", len(outs), "err", err)
		}
		outs, lastFlush = outs[:0], time.Now()
	}
	defer flush()
	for {
		s.mu.Lock()
		s.pending = false
		s.mu.Unlock()
		due, err := s.db.DueEmails(ctx, time.Now(), dueBatch) // retries follow the real clock, not a campaign day
		if err != nil {
			if ctx.Err() == nil {
				s.opts.Log.Error("outreach: read queued e-mails", "err", err)
			}
			return
		}
		if len(due) == 0 {
			flush()
			more, done := s.waitForMore(ctx)
			if done {
				stopped = true
			}
			if !more {
				return
			}
			continue
		}
		for _, q := range due {
			o := store.EmailOutcome{ID: q.ID}
			switch {
			case q.Closed:
				o.Status, o.Error = "skipped", skipClosed
			case q.Voided:
				o.Status, o.Error = "skipped", skipVoided
			case q.Answered:
				o.Status, o.Error = "skipped", skipAnswered
			default:
				if wait := time.Until(next); wait > 0 && !sleep(ctx, wait) {
					return
				}
				next = later(next, time.Now()).Add(interval)
				o = s.deliver(ctx, q, camps)
				if ctx.Err() != nil {
					return // stopped while sending: the e-mail stays queued, not counted as an attempt
				}
			}
			outs = append(outs, o)
			if len(outs) >= dueBatch || time.Since(lastFlush) >= flushEvery {
				flush()
			}
		}
		flush()
	}
}

// deliver sends one queued e-mail and says what became of it.
func (s *Service) deliver(ctx context.Context, q store.QueuedEmail, camps map[int64]*store.Campaign) store.EmailOutcome {
	o := store.EmailOutcome{ID: q.ID}
	c, ok := camps[q.CampaignID]
	if !ok {
		var err error
		if c, err = s.db.Campaign(ctx, q.CampaignID); err != nil {
			return s.retry(q, "Không đọc được đợt khảo sát; sẽ thử lại.")
		}
		camps[q.CampaignID] = c
	}
	t := Compose(Kind(q.Kind), Email, Letter{Def: c.Def, Group: q.Group, Unit: q.Unit, Name: q.Name, Position: q.Position, Code: q.Code, Link: s.Link(q.Short, q.Token)})
	err := s.mailer.Send(ctx, Mail{ToName: q.Name, ToAddr: q.Email, ReplyTo: c.Def.Contact.Email, Subject: t.Subject, Body: t.Body})
	switch {
	case err == nil:
		o.Status = "sent"
	case errors.Is(err, ErrPermanent):
		o.Status, o.Error = "failed", clip(err.Error())
	default:
		return s.retry(q, clip(err.Error()))
	}
	return o
}

// retry queues an e-mail again after a delay (RetryDelay, ×4 for each earlier attempt), or
// records it as failed when it has had its attempts.
func (s *Service) retry(q store.QueuedEmail, msg string) store.EmailOutcome {
	if q.Attempts+1 >= s.opts.Attempts {
		return store.EmailOutcome{ID: q.ID, Status: "failed", Error: msg}
	}
	delay := s.opts.RetryDelay << (2 * q.Attempts)
	return store.EmailOutcome{ID: q.ID, Status: "queued", Error: msg, NextAt: time.Now().Add(delay)}
}

// waitForMore waits for the next retry to fall due; more is false when the sender should stop,
// because the service is closing or nothing is queued any more (then done says finish marked it
// stopped).
func (s *Service) waitForMore(ctx context.Context) (more, done bool) {
	at, any, err := s.db.NextQueued(ctx)
	if err != nil || !any {
		// Closed before the sender is marked stopped: once it is, a new sender may start on the
		// same mailer. Should e-mails have come meanwhile, the next Send connects again.
		s.mailer.Close()
		if s.finish() {
			return false, true
		}
		return true, false
	}
	wait := min(time.Until(at), idleWait)
	if wait < 10*time.Millisecond {
		wait = 10 * time.Millisecond
	}
	return sleep(ctx, wait), false
}

// finish marks the sender stopped unless e-mails were queued since it last looked; it reports
// whether it stopped.
func (s *Service) finish() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending && !s.closed {
		return false
	}
	s.running = false
	return true
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// clip keeps a server's answer short enough for a table cell.
func clip(s string) string {
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}
