package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The audit log is append-only twice over: triggers refuse UPDATE and DELETE on audit_log
// (0001_init.sql), and every row parsurvey writes carries hash = sha256(previous row's hash,
// this row's fields), so a row changed, removed or slipped in with another tool breaks the
// chain that Verify walks. Every stored response is sealed by a "response.store" row holding a
// digest of what it says, and triggers (0009_roles.sql) leave an unsealed row when a response
// or its answers are changed or deleted by anything but parsurvey.

type requestIDKey struct{}

// WithRequestID returns ctx carrying the web request's id, which the audit rows written by a
// Write under that context record.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// requestIDOf is the request id ctx carries, or "".
func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// txRequests maps each write transaction begun under a request id to that id, so that audit,
// which sees only the transaction, can record it. There is one writer connection, so the map
// holds at most one entry at a time.
var txRequests sync.Map // *sql.Tx → string

// auditFields are the columns of an audit row that its hash covers, in order.
type auditFields struct {
	ID         int64
	At         string
	UserID     int64
	Action     string
	CampaignID int64
	Subject    string
	Detail     string
	RequestID  string
}

// chainHash is the hash of an audit row after the row whose hash is prev. Each field is
// written with its length, so no choice of texts makes two rows hash alike.
func chainHash(prev string, f auditFields) string {
	h := sha256.New()
	writeField(h, prev)
	for _, v := range []string{strconv.FormatInt(f.ID, 10), f.At, strconv.FormatInt(f.UserID, 10), f.Action,
		strconv.FormatInt(f.CampaignID, 10), f.Subject, f.Detail, f.RequestID} {
		writeField(h, v)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, v string) {
	fmt.Fprintf(h, "%d:%s;", len(v), v)
}

// audit appends one entry to the append-only audit log inside the caller's transaction,
// chained to the entry before it.
func audit(tx *sql.Tx, at string, userID int64, action string, campaignID int64, subject string, detail any) error {
	return auditAfter(tx, nil, at, userID, action, campaignID, subject, detail)
}

// chainHead is the last audit row a transaction wrote, for a run of entries in which nothing
// else writes to the log (a group commit's seals): the next entry chains to it without reading
// it back, a round trip saved per response on PostgreSQL.
type chainHead struct {
	id    int64
	hash  string
	known bool
}

// auditAfter is audit chained to head when head is known, and records the new row in head;
// a nil head reads the last row, as every entry written among others must.
func auditAfter(tx *sql.Tx, head *chainHead, at string, userID int64, action string, campaignID int64, subject string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	f := auditFields{At: at, UserID: userID, Action: action, CampaignID: campaignID, Subject: subject, Detail: string(b)}
	if id, ok := txRequests.Load(tx); ok {
		f.RequestID = id.(string)
	}
	var prevID int64
	var prevHash string
	if head != nil && head.known {
		prevID, prevHash = head.id, head.hash
	} else {
		err = tx.QueryRow(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&prevID, &prevHash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: audit %s: last entry: %w", action, err)
		}
	}
	f.ID = prevID + 1
	var uid, cid any
	if userID > 0 {
		uid = userID
	}
	if campaignID > 0 {
		cid = campaignID
	}
	hash := chainHash(prevHash, f)
	if _, err := tx.Exec(`INSERT INTO audit_log (id, at, user_id, action, campaign_id, subject, detail, request_id, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, at, uid, action, cid, subject, f.Detail, f.RequestID, hash); err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	if head != nil {
		*head = chainHead{id: f.ID, hash: hash, known: true}
	}
	return nil
}

// Audit appends one entry to the audit log on its own (a download, a sign-in refused).
func (db *DB) Audit(ctx context.Context, userID int64, action string, campaignID int64, subject string, detail any) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		return audit(tx, timeText(db.Now()), userID, action, campaignID, subject, detail)
	})
}

// sealSubmission writes the "response.store" entry of a submission just stored in tx as
// response r, created at created: the digest of what it says (responseRow.seal), which Verify
// compares with the response as stored. The digest is made from the values just written, so
// sealing costs one look-up of the form's code and the audit row itself.
func sealSubmission(tx *sql.Tx, head *chainHead, created, code string, s *Submission, r Receipt) error {
	row := responseRow{id: r.ResponseID, campaignID: s.CampaignID, formID: s.FormID, code: code, channel: s.Channel, submission: s.SubmissionID,
		digest: s.Digest, receipt: r.Number, received: timeText(s.ReceivedAt), respondent: s.Respondent, created: created}
	units := slices.SortedFunc(slices.Values(s.Answers), func(a, b UnitAnswers) int { return cmp.Compare(a.UnitID, b.UnitID) })
	for _, a := range units {
		row.answers = append(row.answers, strconv.FormatInt(a.UnitID, 10)+"="+a.Answers)
	}
	return auditAfter(tx, head, created, 0, "response.store", row.campaignID, row.code,
		map[string]any{"response": row.id, "channel": row.channel, "seal": row.seal()})
}

// responseSealQuery reads what a response's seal covers: everything it says, not its validity,
// which the rules recompute.
const responseSealQuery = `SELECT r.id, r.campaign_id, r.form_id, ifnull(f.code, ''), r.channel, ifnull(r.submission_id, ''),
	r.body_digest, r.receipt, r.received_at, r.respondent, r.created_at
	FROM responses r LEFT JOIN issued_forms f ON f.id = r.form_id`

// responseRow is a response as its seal covers it.
type responseRow struct {
	id, campaignID, formID                                                    int64
	code, channel, submission, digest, receipt, received, respondent, created string
	answers                                                                   []string // "unit=answers", by unit id
}

func scanResponseRows(rows *sql.Rows, fn func(responseRow) error) error {
	defer rows.Close()
	for rows.Next() {
		var r responseRow
		if err := rows.Scan(&r.id, &r.campaignID, &r.formID, &r.code, &r.channel, &r.submission, &r.digest,
			&r.receipt, &r.received, &r.respondent, &r.created); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// seal is the digest of a response's content and answers.
func (r responseRow) seal() string {
	h := sha256.New()
	for _, v := range []string{strconv.FormatInt(r.id, 10), strconv.FormatInt(r.campaignID, 10), strconv.FormatInt(r.formID, 10),
		r.code, r.channel, r.submission, r.digest, r.receipt, r.received, r.respondent, r.created} {
		writeField(h, v)
	}
	writeField(h, strconv.Itoa(len(r.answers)))
	for _, a := range r.answers {
		writeField(h, a)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     int64
	Username   string
	Action     string
	CampaignID int64
	Subject    string
	Detail     string
	RequestID  string
}

// AuditFilter chooses entries of the audit log; zero fields choose everything.
type AuditFilter struct {
	CampaignID int64
	UserID     int64
	// Actions are prefixes of action codes ("user." for every account event); an entry
	// matches one of them.
	Actions  []string
	From, To time.Time // At in [From, To)
	Limit    int
	// Scope, when set, limits the log to what a limited account may see (ScopeOf): entries
	// of its campaigns, and its own.
	Scope *AuditScope
}

// AuditScope is the part of the audit log a limited account sees.
type AuditScope struct {
	Campaigns []int64
	Self      int64
}

// ScopeOf is the audit scope of u, or nil when u is not limited: the campaigns in its scope
// (CampaignsInScope) and its own entries. Entries on no campaign (other accounts' sign-ins and
// changes) stay out of a limited account's view, so that one organisation's staff never see
// another's.
func (db *DB) ScopeOf(ctx context.Context, u *User) (*AuditScope, error) {
	if !u.Scoped() {
		return nil, nil
	}
	ids, err := db.CampaignsInScope(ctx, u)
	if err != nil {
		return nil, err
	}
	return &AuditScope{Campaigns: ids, Self: u.ID}, nil
}

// AuditLog returns the latest entries of a campaign (or of all, for campaignID 0), newest first.
func (db *DB) AuditLog(ctx context.Context, campaignID int64, limit int) ([]AuditEntry, error) {
	return db.AuditEntries(ctx, AuditFilter{CampaignID: campaignID, Limit: limit})
}

// AuditEntries returns the entries f chooses, newest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	if f.CampaignID != 0 {
		where, args = append(where, "a.campaign_id = ?"), append(args, f.CampaignID)
	}
	if f.UserID != 0 {
		where, args = append(where, "a.user_id = ?"), append(args, f.UserID)
	}
	if sc := f.Scope; sc != nil {
		cond := "a.user_id = ?"
		args = append(args, sc.Self)
		if len(sc.Campaigns) > 0 {
			cond += " OR a.campaign_id IN (" + placeholders(len(sc.Campaigns)) + ")"
			for _, id := range sc.Campaigns {
				args = append(args, id)
			}
		}
		where = append(where, "("+cond+")")
	}
	if len(f.Actions) > 0 {
		var or []string
		for _, p := range f.Actions {
			or = append(or, "substr(a.action, 1, ?) = ?")
			args = append(args, len(p), p)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if !f.From.IsZero() {
		where, args = append(where, "a.at >= ?"), append(args, timeText(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "a.at < ?"), append(args, timeText(f.To))
	}
	q := `SELECT a.id, a.at, ifnull(a.user_id, 0), ifnull(u.username, ''), a.action, ifnull(a.campaign_id, 0), a.subject, a.detail, a.request_id
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY a.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Username, &e.Action, &e.CampaignID, &e.Subject, &e.Detail, &e.RequestID); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// auditTriggers are the triggers that keep the audit log and the responses honest; Verify
// reports any that is missing.
var auditTriggers = []string{"audit_log_no_update", "audit_log_no_delete", "responses_changed", "responses_deleted",
	"response_answers_changed", "response_answers_deleted"}

// VerifyReport is what Verify found.
type VerifyReport struct {
	// Entries is the number of audit rows, Legacy those written before the chain began
	// (migration 0009), which carry no hash; Head is the newest row's hash, worth writing down
	// elsewhere: a chain cut off at its end is found only against a head recorded before.
	Entries, Legacy int
	HeadID          int64
	Head            string
	// Responses is the number of stored responses, Sealed those whose seal matched, and
	// Unsealed those stored before the chain began.
	Responses, Sealed, Unsealed int
	// Problems says, one line each, what was changed, added or removed outside parsurvey.
	Problems []string
}

// OK reports whether Verify found nothing wrong.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// maxProblems bounds the report of a database changed wholesale.
const maxProblems = 200

func (r *VerifyReport) problem(format string, args ...any) {
	if len(r.Problems) == maxProblems {
		r.Problems = append(r.Problems, "… và các lỗi khác (chỉ liệt kê 200 lỗi đầu)")
	}
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Verify walks the audit chain and checks every response against its seal, the triggers and
// SQLite's own integrity check. Problems found are in the report; the error is for a database
// that could not be read.
func (db *DB) Verify(ctx context.Context) (*VerifyReport, error) {
	rep := &VerifyReport{}
	// PostgreSQL checks its pages as it reads them (and pg_amcheck checks a cluster whole);
	// SQLite's file is checked here.
	if !db.pg() {
		var integrity string
		if err := db.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity); err != nil {
			return nil, fmt.Errorf("store: integrity check: %w", err)
		}
		if integrity != "ok" {
			rep.problem("kiểm tra toàn vẹn của SQLite báo lỗi: %s", integrity)
		}
	}
	have := map[string]bool{}
	triggers := `SELECT name FROM sqlite_master WHERE type = 'trigger'`
	if db.pg() {
		// Only enabled triggers count: ALTER TABLE … DISABLE TRIGGER is as good as dropping one.
		triggers = `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND n.nspname = current_schema()`
	}
	rows, err := db.read.QueryContext(ctx, triggers)
	if err != nil {
		return nil, fmt.Errorf("store: triggers: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		have[n] = true
	}
	rows.Close()
	for _, t := range auditTriggers {
		if !have[t] {
			rep.problem("trigger %s đã bị xóa: nhật ký hoặc phiếu trả lời có thể đã bị sửa mà không để lại dấu vết", t)
		}
	}
	baseAudit, baseResponses, err := db.chainBaseline(ctx)
	if err != nil {
		return nil, err
	}
	seals, err := db.verifyChain(ctx, rep, baseAudit)
	if err != nil {
		return nil, err
	}
	if err := db.verifyResponses(ctx, rep, seals, baseResponses); err != nil {
		return nil, err
	}
	return rep, nil
}

// chainBaseline is the last audit row and the last response written before the chain began.
func (db *DB) chainBaseline(ctx context.Context) (audit, responses int64, err error) {
	for key, dst := range map[string]*int64{"audit_chain_audit_baseline": &audit, "audit_chain_response_baseline": &responses} {
		v, err := db.Setting(ctx, key)
		if err != nil {
			return 0, 0, fmt.Errorf("store: %s: %w", key, err)
		}
		if *dst, err = strconv.ParseInt(v, 10, 64); err != nil {
			return 0, 0, fmt.Errorf("store: setting %s = %q: the chain's baseline is missing or damaged", key, v)
		}
	}
	return audit, responses, nil
}

// responseSeal is the seal a response.store entry holds, and the entry's id.
type responseSeal struct {
	entry int64
	seal  string
}

// verifyChain walks the audit rows in order, recomputing each hash, and returns the response
// seals it met by response id.
func (db *DB) verifyChain(ctx context.Context, rep *VerifyReport, baseline int64) (map[int64]responseSeal, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, ifnull(user_id, 0), action, ifnull(campaign_id, 0), subject, detail, request_id, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: read audit log: %w", err)
	}
	defer rows.Close()
	seals := map[int64]responseSeal{}
	prev := ""
	var prevID int64
	for rows.Next() {
		var f auditFields
		var h string
		if err := rows.Scan(&f.ID, &f.At, &f.UserID, &f.Action, &f.CampaignID, &f.Subject, &f.Detail, &f.RequestID, &h); err != nil {
			return nil, err
		}
		rep.Entries++
		switch {
		case h == "" && f.ID <= baseline:
			rep.Legacy++
		case h == "":
			rep.problem("dòng nhật ký số %d (%s %s) được ghi ngoài parsurvey", f.ID, f.Action, f.Subject)
		case h != chainHash(prev, f):
			if f.ID != prevID+1 && prevID >= baseline {
				rep.problem("dòng nhật ký số %d không khớp chuỗi băm: các dòng %d–%d đã bị xóa hoặc dòng này đã bị sửa", f.ID, prevID+1, f.ID-1)
			} else {
				rep.problem("dòng nhật ký số %d (%s) không khớp chuỗi băm: dòng này hoặc dòng ngay trước nó đã bị sửa", f.ID, f.Action)
			}
		}
		if f.Action == "response.store" {
			var d struct {
				Response int64  `json:"response"`
				Seal     string `json:"seal"`
			}
			if json.Unmarshal([]byte(f.Detail), &d) == nil && d.Response > 0 {
				seals[d.Response] = responseSeal{entry: f.ID, seal: d.Seal}
			}
		}
		prev, prevID = h, f.ID
		rep.HeadID, rep.Head = f.ID, h
	}
	return seals, rows.Err()
}

// verifyResponses recomputes every response's seal and compares it with the one recorded when
// it was stored.
func (db *DB) verifyResponses(ctx context.Context, rep *VerifyReport, seals map[int64]responseSeal, baseline int64) error {
	ans, err := db.read.QueryContext(ctx, `SELECT response_id, unit_id, answers FROM response_answers ORDER BY response_id, unit_id`)
	if err != nil {
		return fmt.Errorf("store: read answers: %w", err)
	}
	defer ans.Close()
	// The answers are merged with the responses, both in response id order.
	var pending struct {
		ok       bool
		id, unit int64
		answers  string
	}
	next := func() error {
		pending.ok = ans.Next()
		if !pending.ok {
			return ans.Err()
		}
		return ans.Scan(&pending.id, &pending.unit, &pending.answers)
	}
	if err := next(); err != nil {
		return err
	}
	rows, err := db.read.QueryContext(ctx, responseSealQuery+` ORDER BY r.id`)
	if err != nil {
		return fmt.Errorf("store: read responses: %w", err)
	}
	seen := map[int64]bool{}
	err = scanResponseRows(rows, func(r responseRow) error {
		for pending.ok && pending.id < r.id {
			rep.problem("câu trả lời của phiếu số %d còn lại nhưng phiếu đã bị xóa", pending.id)
			if err := next(); err != nil {
				return err
			}
		}
		for pending.ok && pending.id == r.id {
			r.answers = append(r.answers, strconv.FormatInt(pending.unit, 10)+"="+pending.answers)
			if err := next(); err != nil {
				return err
			}
		}
		rep.Responses++
		seen[r.id] = true
		s, ok := seals[r.id]
		switch {
		case !ok && r.id <= baseline:
			rep.Unsealed++
		case !ok:
			rep.problem("phiếu trả lời số %d (mã %s) không có dòng niêm phong trong nhật ký: được thêm ngoài parsurvey", r.id, r.code)
		case s.seal != r.seal():
			rep.problem("phiếu trả lời số %d (mã %s) đã bị sửa sau khi lưu (khác với niêm phong ở dòng nhật ký số %d)", r.id, r.code, s.entry)
		default:
			rep.Sealed++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: verify responses: %w", err)
	}
	for ; pending.ok; _ = next() {
		rep.problem("câu trả lời của phiếu số %d còn lại nhưng phiếu đã bị xóa", pending.id)
	}
	for id, s := range seals {
		if !seen[id] {
			rep.problem("phiếu trả lời số %d đã bị xóa (niêm phong ở dòng nhật ký số %d)", id, s.entry)
		}
	}
	return nil
}
