package outreach

import (
	"context"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Selection is a group and a unit (empty for all) of a campaign's lists.
type Selection struct {
	Group, Unit string
}

// scope names the selection for the audit log and the sends' list: "S3/SNV", "S3", "".
func (sel Selection) scope() string {
	if sel.Unit == "" {
		return sel.Group
	}
	return sel.Group + "/" + sel.Unit
}

// Due reports whether a person is due a message of a kind on a channel: they have not
// answered, their form is live, they can be reached on the channel, and
//   - for an invitation, none went to them on this channel yet (a failed e-mail does not count);
//   - for a reminder, they were invited on some channel, and no reminder is waiting for them on
//     this one.
func Due(p *store.Respondent, k Kind, ch Channel) bool {
	if p.Answered || p.Voided {
		return false
	}
	switch ch {
	case Email:
		if p.Email == "" {
			return false
		}
	case SMS:
		if p.Phone == "" {
			return false
		}
	}
	invited := false
	for _, m := range p.History {
		live := m.Status == "sent" || m.Status == "queued"
		if m.Kind == string(Invitation) && m.Status == "sent" {
			invited = true
		}
		if m.Channel == string(ch) && m.Kind == string(k) && live && (k == Invitation || m.Status == "queued") {
			return false
		}
	}
	return k == Invitation || invited
}

// Outgoing is a message ready for a person.
type Outgoing struct {
	Person *store.Respondent
	Link   string
	Text   Text
}

// Outbox is everyone of a selection due a message of a kind on a channel, with their texts.
func (s *Service) Outbox(ctx context.Context, c *store.Campaign, sel Selection, k Kind, ch Channel) ([]Outgoing, error) {
	due, err := s.Audience(ctx, c, sel, k)
	if err != nil {
		return nil, err
	}
	return s.Letters(c, k, ch, due[ch]), nil
}

// Audience is everyone of a selection due a message of a kind, by channel, from one reading of
// the lists.
func (s *Service) Audience(ctx context.Context, c *store.Campaign, sel Selection, k Kind) (map[Channel][]*store.Respondent, error) {
	people, err := s.db.Respondents(ctx, c.ID, store.ListFilter{Group: sel.Group, Unit: sel.Unit})
	if err != nil {
		return nil, err
	}
	out := map[Channel][]*store.Respondent{}
	for _, ch := range []Channel{Zalo, SMS, Email} {
		for _, p := range people {
			if Due(p, k, ch) {
				out[ch] = append(out[ch], p)
			}
		}
	}
	return out, nil
}

// Letters writes the message of a kind on a channel for each person, with their own link (the
// short link in an SMS, where every character counts).
func (s *Service) Letters(c *store.Campaign, k Kind, ch Channel, people []*store.Respondent) []Outgoing {
	out := make([]Outgoing, len(people))
	for i, p := range people {
		link := s.Link(p.Short, p.Token)
		if ch == SMS && p.Short != "" {
			link = s.baseURL + "/" + p.Short
		}
		out[i] = Outgoing{Person: p, Link: link,
			Text: Compose(k, ch, Letter{Def: c.Def, Group: p.Group, Unit: p.Unit, Name: p.Name, Position: p.Position, Code: p.Code, Link: link})}
	}
	return out
}

// ErrNobodyDue is returned when a selection has nobody due the message asked for.
var ErrNobodyDue = fault.New(fault.Conflict, "Không có ai cần gửi trong lựa chọn này: mọi người đã được gửi, đã trả lời, hoặc chưa có cách liên lạc qua kênh này.", nil)

// RecordSent records that staff sent a message themselves (pasted into Zalo, or uploaded to an
// SMS gateway) to the people given by id, of those in the selection still due it; it returns
// how many it recorded.
func (s *Service) RecordSent(ctx context.Context, c *store.Campaign, sel Selection, k Kind, ch Channel, ids []int64, userID int64) (int, error) {
	if ch == Email {
		return 0, fmt.Errorf("outreach: e-mails are recorded by the sender")
	}
	if closed(s.db, c) {
		return 0, fault.New(fault.Closed, "Đợt khảo sát đã kết thúc: không gửi thêm thư mời hay nhắc.", nil)
	}
	audience, err := s.Audience(ctx, c, sel, k)
	if err != nil {
		return 0, err
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var due []int64
	for _, p := range audience[ch] {
		if ids == nil || want[p.ID] {
			due = append(due, p.ID)
		}
	}
	if len(due) == 0 {
		return 0, ErrNobodyDue
	}
	return s.db.RecordSent(ctx, c.ID, userID, string(k), string(ch), due)
}

// SendEmails queues an e-mail for everyone of the selection due one and starts the sender; it
// returns the send's id and how many e-mails it queued.
func (s *Service) SendEmails(ctx context.Context, c *store.Campaign, sel Selection, k Kind, userID int64) (int64, int, error) {
	if s.mailer == nil {
		return 0, 0, fault.New(fault.Conflict, "Chưa cấu hình máy chủ thư (--smtp-addr): chưa gửi được thư điện tử.", nil)
	}
	if closed(s.db, c) {
		return 0, 0, fault.New(fault.Closed, "Đợt khảo sát đã kết thúc: không gửi thêm thư mời hay nhắc.", nil)
	}
	audience, err := s.Audience(ctx, c, sel, k)
	if err != nil {
		return 0, 0, err
	}
	if len(audience[Email]) == 0 {
		return 0, 0, ErrNobodyDue
	}
	ids := make([]int64, len(audience[Email]))
	for i, p := range audience[Email] {
		ids[i] = p.ID
	}
	id, n, err := s.db.QueueEmails(ctx, c.ID, userID, string(k), sel.scope(), ids)
	if err != nil {
		return 0, 0, err
	}
	s.kick()
	return id, n, nil
}

// Resume starts the sender on what is still queued, after a restart stopped it.
func (s *Service) Resume() { s.kick() }
