package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"kundportal/internal/repair"
)

// Filing a case. A new case is saved with its form's one-time token, its
// photos, its audit line, the reporter's new defaults and its mails, all
// in one transaction (FileCase).
//
// On PostgreSQL, where every statement costs the server's backend the
// same setup whatever it holds (docs/PERFORMANCE.md, "Saves on
// PostgreSQL"), filings that queue behind one another are saved
// together: two statements for all of them, the second one transaction
// (fileTogether). They queue in a few lanes, each running one batch at a
// time, so that one lane's round trips do not hold up the others. Every
// caller is still answered only after the commit that holds its case.
// If a batch fails (a token filed meanwhile by another instance, a
// machine removed), nothing of it is kept and each filing is saved again
// alone, with its own result. On SQLite the group writer already shares
// one commit among waiting saves (group.go), and each filing runs as its
// own save in it.

// A Filing is a new case and what is saved with it.
type Filing struct {
	// Case is the case to create; CreateCase's defaults apply. Once
	// filed it holds its id and number.
	Case repair.Case
	// Token is the form's one-time id: a second filing of the same token
	// creates nothing and gives the case of the first.
	Token string
	// By is the user filing it, for the audit lines; Audit is the detail
	// of the line of its creation.
	By    int64
	Audit string
	// Photos are saved with the case, each with its audit line.
	Photos []FiledPhoto
	// Defaults, when set, become By's reporter defaults.
	Defaults *ReporterDefaults
	// Mails gives the mails and digest lines about the case once it has
	// its id and number; they are due MailDelay after the save.
	Mails     func(c repair.Case) ([]repair.Mail, []DigestItem)
	MailDelay time.Duration
}

// FiledPhoto is a photo filed with a case: the file (its bytes already
// in the file store) and the detail of its audit line.
type FiledPhoto struct {
	File  repair.File
	Audit string
}

// ReporterDefaults are the name and phone the portal suggests to a user
// for the next case.
type ReporterDefaults struct{ Name, Phone string }

// FileCase saves f, once per token, and gives the case's id: that of the
// case the token's first filing created if it was filed before.
func (db *DB) FileCase(ctx context.Context, f *Filing) (int64, error) {
	var id int64
	var err error
	switch {
	case db.d.name == "sqlite":
		id, err = db.fileChecked(ctx, f)
	case db.filings != nil && f.together():
		id, err = db.fileQueued(ctx, f)
	default:
		id, err = db.fileAlone(ctx, f, (*Tx).file)
	}
	if deadlocked(err) {
		// On PostgreSQL this filing and another transaction (a batch,
		// or another filing of its token) each waited for the other,
		// and the database rolled this one back whole. It is saved
		// again alone; its token gives it the case if the other filed
		// it meanwhile.
		id, err = db.fileAlone(ctx, f, (*Tx).file)
	}
	if errors.Is(err, repair.ErrConflict) {
		// Two filings of one token raced; the other one won, unless its
		// transaction did not commit after all (then this one files
		// again).
		err = db.Update(ctx, func(tx *Tx) error {
			id, err = tx.SubmittedCase(ctx, f.Token)
			return err
		})
		if errors.Is(err, repair.ErrNotFound) {
			id, err = db.fileAlone(ctx, f, (*Tx).file)
		}
	}
	return id, err
}

// fileChecked files f on SQLite, whose one writer is what limits the
// saves (docs/PERFORMANCE.md): the form's token is looked up on a
// reading connection, outside the writer's turn, and the writer only
// records it. A filing of the same token that slips in between is caught
// by the token's uniqueness (repair.ErrConflict, as a race on
// PostgreSQL; FileCase).
func (db *DB) fileChecked(ctx context.Context, f *Filing) (int64, error) {
	prev, err := submittedCase(db.d, db.queryRow(ctx, submittedCaseSQL, f.Token))
	if !errors.Is(err, repair.ErrNotFound) {
		return prev, err
	}
	return db.fileAlone(ctx, f, (*Tx).fileNew)
}

// deadlocked says whether err is PostgreSQL's report of a deadlock, whose
// transaction it has rolled back.
func deadlocked(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "40P01"
}

// together says whether f may be saved with others: a case filed now,
// as the forms file them, without photos (rare, and each a look-up of
// its case).
func (f *Filing) together() bool {
	return len(f.Photos) == 0 && f.Case.RegisteredAt.IsZero() && f.Case.CompletedAt.IsZero()
}

// validText says whether f's text is all valid UTF-8. A batch's cases go
// as JSON, whose encoder puts U+FFFD for bytes that are not, where
// PostgreSQL refuses them from a filing alone; so such a filing is saved
// alone. (The rest of a batch goes as text arrays, which PostgreSQL
// refuses as it does a filing alone; a NUL fails the batch too, which is
// then saved filing by filing.)
func (f *Filing) validText() bool {
	for _, v := range caseValues(&f.Case, "", "") {
		if s, ok := v.(string); ok && !utf8.ValidString(s) {
			return false
		}
	}
	d := f.Defaults
	return utf8.ValidString(f.Token+f.Audit) && (d == nil || utf8.ValidString(d.Name+d.Phone))
}

// mails are f's mails and digest lines about c.
func (f *Filing) mails(c repair.Case) ([]repair.Mail, []DigestItem) {
	if f.Mails == nil {
		return nil, nil
	}
	return f.Mails(c)
}

// fileAlone saves f with save ((*Tx).file, or fileNew once its token
// was looked up) in a transaction of its own (a save of the group
// writer's on SQLite).
func (db *DB) fileAlone(ctx context.Context, f *Filing, save func(*Tx, context.Context, *Filing) (int64, error)) (int64, error) {
	var id int64
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		id, err = save(tx, ctx, f)
		return err
	})
	return id, err
}

// file saves f in tx, or gives the case its token filed before.
func (tx *Tx) file(ctx context.Context, f *Filing) (int64, error) {
	prev, err := tx.SubmittedCase(ctx, f.Token)
	if err == nil {
		return prev, nil
	}
	if !errors.Is(err, repair.ErrNotFound) {
		return 0, err
	}
	return tx.fileNew(ctx, f)
}

// fileNew saves f in tx, its token not yet recorded as far as the caller
// knows: if it is, the filing fails with repair.ErrConflict.
func (tx *Tx) fileNew(ctx context.Context, f *Filing) (int64, error) {
	c := &f.Case
	if err := tx.CreateCase(ctx, c); err != nil {
		return 0, err
	}
	if err := tx.RecordSubmission(ctx, f.Token, c.ID); err != nil {
		return 0, err
	}
	if err := tx.RememberInvoiceReference(ctx, c.CustomerID, c.InvoiceReference); err != nil {
		return 0, err
	}
	mails, digests := f.mails(*c)
	if err := tx.QueueMails(ctx, mails, digests, f.MailDelay); err != nil {
		return 0, err
	}
	for _, p := range f.Photos {
		p.File.CaseID = c.ID
		if err := tx.CreateFile(ctx, &p.File); err != nil {
			return 0, err
		}
		if err := tx.Audit(ctx, f.By, "case", c.ID, "file", p.Audit); err != nil {
			return 0, err
		}
	}
	if d := f.Defaults; d != nil {
		if err := tx.SetReporterDefaults(ctx, f.By, d.Name, d.Phone); err != nil {
			return 0, err
		}
	}
	return c.ID, tx.Audit(ctx, f.By, "case", c.ID, "create", f.Audit)
}

// fileReq is a filing waiting for its turn (PostgreSQL).
type fileReq struct {
	ctx  context.Context
	f    *Filing
	id   int64
	err  error
	done chan struct{}
}

// fileQueued saves f with the filings queued with it.
func (db *DB) fileQueued(ctx context.Context, f *Filing) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if db.writeTime != nil {
		defer observeSince(db.writeTime, time.Now())
	}
	r := &fileReq{ctx: ctx, f: f, done: make(chan struct{})}
	lane := db.filings[db.nextLane.Add(1)%uint64(len(db.filings))]
	lane.add(r, maxGroup, db.fileBatch)
	<-r.done
	return r.id, r.err
}

// fileBatch saves the filings of batch, together if there are several,
// and answers each. As in a group of SQLite's, the saves are the batch's,
// not any one caller's: a caller that gives up before its turn is
// skipped, one that gives up later does not interrupt the others.
func (db *DB) fileBatch(batch []*fileReq) {
	var together, alone []*fileReq
	for _, r := range batch {
		switch {
		case r.ctx.Err() != nil:
			r.err = r.ctx.Err()
			close(r.done)
		case r.f.validText():
			together = append(together, r)
		default:
			alone = append(alone, r)
		}
	}
	if len(together) > 1 {
		ctx, cancel := context.WithTimeout(context.Background(), fileTimeout)
		err := db.fileTogether(ctx, together)
		cancel()
		if err == nil {
			db.filedTogether.Add(1)
			for _, r := range together {
				close(r.done)
			}
			together = nil
		}
		// Else each alone, below, with its own result.
	}
	for _, r := range append(together, alone...) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), fileTimeout)
		r.id, r.err = db.fileAlone(ctx, r.f, (*Tx).file)
		cancel()
		close(r.done)
	}
}

// fileTimeout bounds a lane's wait for the database: a batch, or a
// filing alone, that takes longer fails, and the lane goes on with the
// filings queued behind it. (A batch whose commit came but not its
// answer is saved again alone, and its tokens give each filing the case
// it made.)
const fileTimeout = 30 * time.Second

// fileTogether saves reqs' filings in two statements, whatever their
// number: the first gives each new case its id and number and tells the
// tokens filed before (and the machines' Objekttyp and Fabrikat); the
// second, autocommitted, writes every table for all of them (a
// data-modifying CTE a table, over the filings sent as one JSON array).
// It sets each request's id and its filing's case. On an error nothing
// is kept (the second statement is one transaction) and nothing set.
func (db *DB) fileTogether(ctx context.Context, reqs []*fileReq) error {
	now := db.utcNow()
	year := now.In(repair.Stockholm).Year()
	seq, err := db.caseSequence(ctx, year)
	if err != nil {
		return err
	}

	// The same token twice in the batch (a double click) is filed once;
	// the others get its case.
	var tokens []string
	var assets []int64
	first := map[string]*fileReq{}
	for _, r := range reqs {
		if _, ok := first[r.f.Token]; !ok {
			first[r.f.Token] = r
			tokens = append(tokens, r.f.Token)
			assets = append(assets, r.f.Case.AssetID)
		}
	}
	rows, err := db.write.QueryContext(ctx, fileNumbers, tokens, assets, seq)
	if err != nil {
		return fmt.Errorf("store: file cases: numbers: %w", err)
	}
	filed := []byte{'['}         // JSON of the new cases
	extras := filedExtras.rows() // what is saved with each new case
	// The filings of filed, in order, and their cases as saved: the
	// filings' own are set only once the cases are committed.
	var creating []*fileReq
	var cases []repair.Case
	found := map[string]int64{}
	for rows.Next() {
		var (
			i           int
			prev, id    sql.NullInt64
			number      sql.NullInt64
			kind, brand string
		)
		if err := rows.Scan(&i, &prev, &id, &number, &kind, &brand); err != nil {
			rows.Close()
			return fmt.Errorf("store: file cases: numbers: %w", err)
		}
		r := first[tokens[i-1]]
		if prev.Valid {
			found[r.f.Token] = prev.Int64
			continue
		}
		c := r.f.Case
		c.ID, c.Number = id.Int64, caseNumber(year, number.Int64)
		c.RegisteredAt, c.UpdatedAt = now, now
		if c.Status == "" {
			c.Status = repair.StatusRegistered
		}
		if len(creating) > 0 {
			filed = append(filed, ',')
		}
		if filed, err = appendFiledCase(filed, &c, kind, brand); err != nil {
			rows.Close()
			return fmt.Errorf("store: file cases: %w", err)
		}
		var d ReporterDefaults
		if r.f.Defaults != nil {
			d = *r.f.Defaults
		}
		extras.add(c.ID, r.f.Token, r.f.By, r.f.Audit, r.f.Defaults != nil, d.Name, d.Phone)
		creating, cases = append(creating, r), append(cases, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: file cases: numbers: %w", err)
	}
	if len(found)+len(creating) != len(tokens) {
		return fmt.Errorf("store: file cases: numbers: %d of %d", len(found)+len(creating), len(tokens))
	}

	mails, digests := filedMails.rows(), filedDigests.rows()
	for i, r := range creating {
		ms, ds := r.f.mails(cases[i])
		for _, m := range ms {
			mails.add(m.MessageID, string(m.Event), m.CustomerID, m.CaseID, m.UserID,
				m.Recipient, m.Subject, m.Text, m.HTML, m.UnsubscribeURL, now.Add(r.f.MailDelay))
		}
		for _, d := range ds {
			digests.add(d.UserID, d.CaseID, string(d.Event), d.Line, d.Link)
		}
	}
	args := []any{now, now.Add(-repair.RepeatWindow), append(filed, ']')}
	args = append(append(append(args, extras.columns...), mails.columns...), digests.columns...)
	repeats := map[int64]bool{}
	if len(creating) > 0 {
		rows, err = db.write.QueryContext(ctx, fileCases, args...)
		if err != nil {
			return fmt.Errorf("store: file cases: %w", db.d.mapErr(err))
		}
		for rows.Next() {
			var id int64
			var repeat bool
			if err := rows.Scan(&id, &repeat); err != nil {
				rows.Close()
				return fmt.Errorf("store: file cases: %w", err)
			}
			repeats[id] = repeat
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: file cases: %w", db.d.mapErr(err))
		}
	}

	// Committed: made known as Update's commits are.
	done := &Tx{mailQueued: mails.len() > 0}
	for i, r := range creating {
		c := &cases[i]
		c.RepeatFault = repeats[c.ID]
		r.f.Case = *c
		found[r.f.Token] = c.ID
		done.newCases = append(done.newCases, c.ID)
		done.touch(c.CustomerID)
	}
	db.committed(done)
	for _, r := range reqs {
		r.id = found[r.f.Token]
	}
	return nil
}

// caseSequence is the name of the year's sequence of case numbers,
// made (in a transaction of its own) if it is not known to be there.
func (db *DB) caseSequence(ctx context.Context, year int) (string, error) {
	seq := caseSequenceName(year)
	if _, known := db.sequences.Load(seq); known {
		return seq, nil
	}
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		seq, err = tx.caseSequence(ctx, year)
		return err
	})
	return seq, err
}

// fileNumbers is fileTogether's first statement: for each token ($1)
// and machine ($2), numbered from 1, the case its token created before,
// or else a new case's id and its number in the year's sequence ($3);
// and the machine's Objekttyp and Fabrikat. The sequences are not
// touched for a token filed before. The cases' sequence is looked up
// once a statement (an InitPlan), not once a case: each look-up reads
// the catalogue (67 buffers for 8 cases where it was 88).
const fileNumbers = `
		SELECT v.i, s.case_id,
			CASE WHEN s.case_id IS NULL THEN nextval((SELECT pg_get_serial_sequence('cases', 'id'))::regclass) END,
			CASE WHEN s.case_id IS NULL THEN nextval($3::regclass) END,
			COALESCE(a.kind, ''), COALESCE(a.brand, '')
		FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS v(token, asset_id, i)
		LEFT JOIN case_submissions s ON s.token = v.token
		LEFT JOIN assets a ON a.id = v.asset_id`

// filedCaseFields name appendFiledCase's values.
var filedCaseFields = append(slices.Clip(insertColumns), "id")

// appendFiledCase appends to b case c, numbered, whose machine has the
// Objekttyp kind and the Fabrikat brand, as fileCases reads it: a JSON
// object of insertCase's columns by name, with the values caseValues
// gives CreateCase's insert, and the case's id.
func appendFiledCase(b []byte, c *repair.Case, kind, brand string) ([]byte, error) {
	values := append(caseValues(c, kind, brand), c.ID)
	b = append(b, '{')
	for i, v := range values {
		if n, ok := v.(driver.Valuer); ok { // NULL or the value
			var err error
			if v, err = n.Value(); err != nil {
				return nil, err
			}
		}
		j, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(append(append(b, '"'), filedCaseFields[i]...), '"', ':'), j...)
	}
	return append(b, '}'), nil
}

// filedExtras, filedMails and filedDigests are the rows fileCases
// saves besides the cases, sent as arrays: what is saved with each case
// (its id, the form's token, the audit line by whom, and the reporter's
// defaults if they change), the cases' mails and their digest lines.
// An id of 0 is saved as NULL.
var (
	filedExtras = arrayColumns{"id bigint", "token text", "by_user bigint", "audit text",
		"set_defaults boolean", "default_name text", "default_phone text"}
	filedMails = arrayColumns{"message_id text", "event text", "customer_id bigint", "case_id bigint",
		"user_id bigint", "recipient text", "subject text", "text_body text", "html_body text",
		"unsubscribe_url text", "next_attempt_at timestamptz"}
	filedDigests = arrayColumns{"user_id bigint", "case_id bigint", "event text", "line text", "link text"}
)

// fileCases is fileTogether's second statement: the cases ($3, a JSON
// array of appendFiledCase's objects, read as rows of cases, so that the
// columns' types are the table's own), registered at $1, each a repeat
// fault if its machine had a case completed since $2, with the first
// entry of their history, their tokens, Fakturamärkningar, audit lines
// and reporters' defaults (filedExtras), their mails (filedMails) and
// digest lines (filedDigests), these three as arrays from $4 on. It
// returns each case's id and whether it is a repeat fault. The
// Fakturamärkningar are written in key order, so that two of these at
// once do not deadlock on them; should they deadlock on a user's
// defaults (rare), one fails and its filings are saved again alone.
//
// Only the cases are JSON, parsed once: the rest, the mails' bodies
// most of it, comes as arrays in PostgreSQL's binary form, which are
// not parsed at all.
var fileCases = func() string {
	extras, mails, digests := 4, 4+len(filedExtras), 4+len(filedExtras)+len(filedMails)
	return `
		WITH v AS (
			SELECT c.*, x.token, x.by_user, x.audit, x.set_defaults, x.default_name, x.default_phone
			FROM json_populate_recordset(NULL::cases, $3::json) AS c
			JOIN ` + filedExtras.unnest(extras, "x") + ` USING (id)),
		c AS (` + strings.Replace(insertCase, "INSERT INTO cases (", "INSERT INTO cases (id, ", 1) + `
			SELECT id, ` + caseSelect(map[string]string{"repeat_fault": `asset_id IS NOT NULL AND EXISTS (SELECT 1 FROM cases p
					WHERE p.asset_id = v.asset_id AND p.completed_at >= $2::timestamptz AND p.completed_at <= $1::timestamptz)`}) + `
			FROM v
			RETURNING id, status, reported_by, repeat_fault),
		h AS (` + insertStatusChange + `
			SELECT id, status, $1::timestamptz, reported_by, '' FROM c),
		s AS (INSERT INTO case_submissions (token, case_id)
			SELECT token, id FROM v),
		r AS (INSERT INTO invoice_references (customer_id, value, last_used_at)
			SELECT DISTINCT customer_id, invoice_reference, $1::timestamptz FROM v
			WHERE invoice_reference <> ''
			ORDER BY customer_id, invoice_reference
			ON CONFLICT (customer_id, value) DO UPDATE SET last_used_at = excluded.last_used_at),
		u AS (UPDATE users
			SET reporter_name = d.default_name, reporter_phone = d.default_phone
			FROM (SELECT DISTINCT ON (by_user) by_user, default_name, default_phone FROM v
				WHERE set_defaults ORDER BY by_user, id DESC) d
			WHERE users.id = d.by_user
			  AND (users.reporter_name <> d.default_name OR users.reporter_phone <> d.default_phone)),
		a AS (INSERT INTO audit_log (at, user_id, entity, entity_id, action, detail)
			SELECT $1::timestamptz, NULLIF(by_user, 0), 'case', id, 'create', audit FROM v),
		m AS (INSERT INTO outbox (message_id, event, customer_id, case_id, user_id, recipient,
				subject, text_body, html_body, unsubscribe_url, created_at, next_attempt_at)
			SELECT message_id, event, NULLIF(customer_id, 0), NULLIF(case_id, 0), NULLIF(user_id, 0), recipient,
				subject, text_body, html_body, unsubscribe_url, $1::timestamptz, next_attempt_at
			FROM ` + filedMails.unnest(mails, "m") + `),
		d AS (INSERT INTO digest_items (user_id, case_id, event, line, link, created_at)
			SELECT user_id, NULLIF(case_id, 0), event, line, link, $1::timestamptz
			FROM ` + filedDigests.unnest(digests, "d") + `)
		SELECT id, repeat_fault FROM c`
}()

// caseSelect is insertCase's columns as a select list, each by its name
// but where set gives another expression.
func caseSelect(set map[string]string) string {
	return insertValues(set, func(column string) string { return column })
}

// filingLanes is the number of lanes PostgreSQL's filings queue in.
const filingLanes = 2
