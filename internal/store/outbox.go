package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// The outbox (migration 0015): mails are written in the transaction of
// the change that sends them and sent after it by the outbox worker. A
// worker claims due mails for a lease in one statement (on SQLite in one
// transaction); on PostgreSQL the rows are locked with SKIP LOCKED, so
// that workers of several instances claim different mails and never wait
// for each other. A mail
// is sent at least once and, unless a worker dies between the mail
// server's acceptance and marking it sent, exactly once; its Message-ID
// stays the same on every attempt, so a receiving server can tell a
// repeat.

const mailColumns = `m.id, m.message_id, m.event, COALESCE(m.customer_id, 0), COALESCE(m.case_id, 0),
	COALESCE(c.number, ''), COALESCE(m.user_id, 0), m.recipient, m.subject, m.text_body, m.html_body,
	m.unsubscribe_url, m.created_at, m.next_attempt_at, m.attempts, m.last_error, m.transport, m.sent_at, m.failed_at`

const mailFrom = `
	FROM outbox m
	LEFT JOIN cases c ON c.id = m.case_id`

func scanMail(r rowScanner) (repair.Mail, error) {
	var m repair.Mail
	var sent, failed sql.NullTime
	err := r.Scan(&m.ID, &m.MessageID, &m.Event, &m.CustomerID, &m.CaseID, &m.CaseNumber, &m.UserID, &m.Recipient,
		&m.Subject, &m.Text, &m.HTML, &m.UnsubscribeURL, &m.CreatedAt, &m.NextAttemptAt, &m.Attempts, &m.LastError,
		&m.Transport, &sent, &failed)
	m.SentAt, m.FailedAt = sent.Time, failed.Time
	return m, err
}

// EnqueueMail writes m to the outbox, due after delay; it is sent once
// the transaction has committed, and never if it rolls back.
func (tx *Tx) EnqueueMail(ctx context.Context, m *repair.Mail, delay time.Duration) error {
	m.CreatedAt, m.NextAttemptAt = tx.now, tx.now.Add(delay)
	id, err := tx.insert(ctx, `
		INSERT INTO outbox (message_id, event, customer_id, case_id, user_id, recipient, subject, text_body, html_body,
			unsubscribe_url, created_at, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.MessageID, m.Event, nullID(m.CustomerID), nullID(m.CaseID), nullID(m.UserID), m.Recipient, m.Subject,
		m.Text, m.HTML, m.UnsubscribeURL, m.CreatedAt, m.NextAttemptAt)
	if err != nil {
		return fmt.Errorf("store: enqueue mail: %w", err)
	}
	m.ID = id
	tx.mailQueued = true
	return nil
}

// QueueMails writes a change's digest lines and its mails, due after
// delay, in tx.
func (tx *Tx) QueueMails(ctx context.Context, mails []repair.Mail, digests []DigestItem, delay time.Duration) error {
	for _, it := range digests {
		if err := tx.AddDigestItem(ctx, it); err != nil {
			return err
		}
	}
	for i := range mails {
		if err := tx.EnqueueMail(ctx, &mails[i], delay); err != nil {
			return err
		}
	}
	return nil
}

// MailQueued is signalled (without blocking: once for any number) after
// a transaction that wrote to the outbox has committed, so that the
// worker sends at once instead of at its next poll.
func (db *DB) MailQueued() <-chan struct{} { return db.mailQueued }

// ClaimMail takes up to n mails due at now for sending: each is this
// worker's until now+lease and counted as an attempt, so that no other
// worker takes it before the lease ends (by which this one has marked it
// sent or failed, or has died and left it to the next).
func (db *DB) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, n int) ([]repair.Mail, error) {
	now = now.UTC()
	if db.d.name == "postgres" {
		return db.claimMailAtOnce(ctx, now, lease, n)
	}
	var ids []int64
	err := db.Update(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id FROM outbox `+dueMail+` ORDER BY next_attempt_at, id `+limitRows(n), now, now)
		ids, err = collectN(rows, err, n, func(r rowScanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		// The batch in one statement, not one per mail: a new case mails
		// each of the customer's users who asked for it.
		marks, args := idList(ids)
		return tx.exec(ctx, `UPDATE outbox SET claimed_until = ?, attempts = attempts + 1 WHERE id IN (`+marks+`)`,
			append([]any{now.Add(lease)}, args...)...)
	})
	if err != nil || len(ids) == 0 {
		return nil, wrapErr("claim mail", err)
	}
	marks, args := idList(ids)
	rows, err := db.query(ctx, `SELECT `+mailColumns+mailFrom+` WHERE m.id IN (`+marks+`) ORDER BY m.next_attempt_at, m.id`, args...)
	mails, err := collectN(rows, err, len(ids), scanMail)
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	return mails, nil
}

// dueMail is the condition of a mail to claim: not sent, not given up,
// due, and nobody's claim on it current (ClaimMail's arguments now, now).
const dueMail = `WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
	AND (claimed_until IS NULL OR claimed_until <= ?)`

// claimMailAtOnce is ClaimMail on PostgreSQL: one statement, which
// locks the due rows it takes, skipping those another worker has
// locked, marks them and gives them back with their cases' numbers. Run
// in a transaction it took five round trips (BEGIN, the ids, the
// UPDATE, COMMIT, the mails), and where cases come one by one each
// claim finds a mail or two: five round trips a mail besides its mark
// (BenchmarkOutboxOneMail).
func (db *DB) claimMailAtOnce(ctx context.Context, now time.Time, lease time.Duration, n int) ([]repair.Mail, error) {
	if db.writeTime != nil {
		defer observeSince(db.writeTime, time.Now())
	}
	rows, err := db.write.QueryContext(ctx, db.d.rebind(`
		WITH m AS (
			UPDATE outbox SET claimed_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox `+dueMail+`
				ORDER BY next_attempt_at, id `+limitRows(n)+` FOR UPDATE SKIP LOCKED)
			RETURNING *)
		SELECT `+mailColumns+`
		FROM m
		LEFT JOIN cases c ON c.id = m.case_id
		ORDER BY m.next_attempt_at, m.id`), now.Add(lease), now, now)
	mails, err := collectN(rows, err, n, scanMail)
	return mails, wrapErr("claim mail", err)
}

// releaseMailClaims ends every claim on the outbox, on SQLite at start:
// its one instance is the only worker, so a claim left is a dead
// process's, and the mail is sent again at once instead of after the
// lease.
// releaseClaims ends every claim. Only mails still to be sent can be
// claimed: the partial index outbox_due finds them, so that the start
// does not read the outbox's whole history (a plan test checks).
const releaseClaims = `UPDATE outbox SET claimed_until = NULL
	WHERE claimed_until IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL`

func (db *DB) releaseMailClaims(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, releaseClaims)
	return wrapErr("release mail claims", err)
}

// MailSent records that mail id went out by transport.
func (db *DB) MailSent(ctx context.Context, id int64, transport string) error {
	return wrapErr("mail sent", db.mailsSent(ctx, transport, []int64{id}))
}

// ShowMail records the mails due at now, at most n, as shown on the
// Utskick page instead of sent, where no mail server is set, and
// reports how many. Showing them does nothing outside the database, so
// it is one statement, which reads no mail: claiming them first read
// every body only to drop it, and recording them a commit each let the
// worker fall far behind a burst of new cases (docs/PERFORMANCE.md).
// On PostgreSQL it skips the mails another worker has locked, as
// claimMailAtOnce does.
func (db *DB) ShowMail(ctx context.Context, now time.Time, n int) (int, error) {
	now = now.UTC()
	shown, err := db.execCount(ctx, showMail(db.d, n), db.utcNow(), repair.MailUtskick, now, now)
	return int(shown), wrapErr("show mail", err)
}

// showMail is ShowMail's statement, for at most n mails.
func showMail(d dialect, n int) string {
	skipLocked := ""
	if d.name == "postgres" {
		skipLocked = " FOR UPDATE SKIP LOCKED"
	}
	return `UPDATE outbox
		SET sent_at = ?, transport = ?, attempts = attempts + 1, last_error = '', claimed_until = NULL
		WHERE id IN (SELECT id FROM outbox ` + dueMail + ` ORDER BY next_attempt_at, id ` + limitRows(n) + skipLocked + `)
		  AND sent_at IS NULL`
}

// mailsSent records that the mails ids, not yet recorded, went out by
// transport.
func (db *DB) mailsSent(ctx context.Context, transport string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := db.d.inIDs("id", ids)
	return db.execAlone(ctx, `UPDATE outbox SET sent_at = ?, transport = ?, last_error = '', claimed_until = NULL
		WHERE `+in+` AND sent_at IS NULL`, append([]any{db.utcNow(), transport}, args...)...)
}

// MailFailed records a failed attempt to send mail id: the next one at
// next, or none if giveUp.
func (db *DB) MailFailed(ctx context.Context, id int64, reason string, next time.Time, giveUp bool) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	if giveUp {
		return wrapErr("mail failed", db.execAlone(ctx, `UPDATE outbox SET last_error = ?, failed_at = ?, claimed_until = NULL WHERE id = ? AND sent_at IS NULL`,
			reason, db.utcNow(), id))
	}
	return wrapErr("mail failed", db.execAlone(ctx, `UPDATE outbox SET last_error = ?, next_attempt_at = ?, claimed_until = NULL WHERE id = ? AND sent_at IS NULL`,
		reason, next.UTC(), id))
}

// PendingMails are the mails of event e about case caseID not sent yet.
func (tx *Tx) PendingMails(ctx context.Context, caseID int64, e repair.MailEvent) ([]repair.Mail, error) {
	rows, err := tx.query(ctx, `SELECT `+mailColumns+mailFrom+`
		WHERE m.case_id = ? AND m.event = ? AND m.sent_at IS NULL AND m.failed_at IS NULL
		ORDER BY m.id`, caseID, e)
	mails, err := collect(rows, err, scanMail)
	return mails, wrapErr("pending mails", err)
}

// RewriteMail replaces what mail id says, if it is not sent yet.
func (tx *Tx) RewriteMail(ctx context.Context, id int64, subject, text, html string) error {
	return wrapErr("rewrite mail", tx.exec(ctx, `UPDATE outbox SET subject = ?, text_body = ?, html_body = ?
		WHERE id = ? AND sent_at IS NULL`, subject, text, html, id))
}

// User is user id as this transaction sees it.
func (tx *Tx) User(ctx context.Context, id int64) (repair.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users u `+userCustomer+` WHERE u.id = ?`, id))
	if err != nil {
		return u, fmt.Errorf("store: user %d: %w", id, tx.d.mapErr(err))
	}
	return u, nil
}

// RetryMail puts a mail the worker gave up on back in the queue, due
// now; a mail that has not failed is left as it is (false).
func (tx *Tx) RetryMail(ctx context.Context, id int64) (bool, error) {
	var failed sql.NullTime
	if err := tx.queryRow(ctx, `SELECT failed_at FROM outbox WHERE id = ?`, id).Scan(&failed); err != nil {
		return false, wrapErr("retry mail", tx.d.mapErr(err))
	}
	if !failed.Valid {
		return false, nil
	}
	tx.mailQueued = true
	return true, wrapErr("retry mail", tx.exec(ctx, `UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = ? WHERE id = ?`, tx.now, id))
}

// MailFilter narrows the outbox's list.
type MailFilter struct {
	CustomerID int64            // 0: every customer (staff only)
	State      repair.MailState // "": every state
	CaseID     int64            // 0: every case
	Before     int64            // the page after the mail with this id (newest first)
	Limit      int              // 1–200, default 50
}

// Mails lists the outbox newest first, one page and whether another
// follows. Staff see all; a customer's scope sees its own customer's
// mails only.
func (db *DB) Mails(ctx context.Context, scope repair.Scope, f MailFilter) ([]repair.Mail, bool, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var where []string
	var args []any
	switch {
	case scope.All():
	case scope.Customer() != 0:
		where, args = append(where, "m.customer_id = ?"), append(args, scope.Customer())
	default:
		return nil, false, nil
	}
	if f.CustomerID != 0 {
		where, args = append(where, "m.customer_id = ?"), append(args, f.CustomerID)
	}
	if f.CaseID != 0 {
		where, args = append(where, "m.case_id = ?"), append(args, f.CaseID)
	}
	switch f.State {
	case "":
	case repair.MailWaiting:
		where = append(where, "m.sent_at IS NULL AND m.failed_at IS NULL")
	case repair.MailSent:
		where, args = append(where, "m.sent_at IS NOT NULL AND m.transport = ?"), append(args, repair.MailSMTP)
	case repair.MailShown:
		where, args = append(where, "m.sent_at IS NOT NULL AND m.transport = ?"), append(args, repair.MailUtskick)
	case repair.MailFailed:
		where = append(where, "m.failed_at IS NOT NULL")
	default:
		return nil, false, nil
	}
	if f.Before != 0 {
		where, args = append(where, "m.id < ?"), append(args, f.Before)
	}
	q := `SELECT ` + mailColumns + mailFrom
	if len(where) > 0 {
		q += "\n\tWHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.query(ctx, q+"\n\tORDER BY m.id DESC\n\t"+limitRows(f.Limit+1), args...)
	mails, err := collectN(rows, err, f.Limit+1, scanMail)
	if err != nil {
		return nil, false, fmt.Errorf("store: mails: %w", err)
	}
	more := len(mails) > f.Limit
	if more {
		mails = mails[:f.Limit]
	}
	return mails, more, nil
}

// Mail is one mail of the outbox that scope may see.
func (db *DB) Mail(ctx context.Context, scope repair.Scope, id int64) (repair.Mail, error) {
	q := `SELECT ` + mailColumns + mailFrom + ` WHERE m.id = ?`
	args := []any{id}
	switch {
	case scope.All():
	case scope.Customer() != 0:
		q, args = q+` AND m.customer_id = ?`, append(args, scope.Customer())
	default:
		return repair.Mail{}, repair.ErrNotFound
	}
	m, err := scanMail(db.queryRow(ctx, q, args...))
	if err != nil {
		return m, wrapErr("mail", db.d.mapErr(err))
	}
	return m, nil
}

// MailRecipients are the users of the customer who want the mails of
// event e about a case reportedBy filed: those who chose all of their
// customer's cases, and the reporter unless it chose none. Blocked users
// get none.
func (tx *Tx) MailRecipients(ctx context.Context, customerID, reportedBy int64, e repair.MailEvent) ([]repair.User, error) {
	cands, err := readMailCandidates(ctx, tx, customerID, e)
	return recipientsOf(cands, reportedBy), err
}

// MailRecipients is Tx.MailRecipients outside a transaction, for mails
// drafted before the change that sends them.
func (db *DB) MailRecipients(ctx context.Context, customerID, reportedBy int64, e repair.MailEvent) ([]repair.User, error) {
	cands, err := readMailCandidates(ctx, db, customerID, e)
	return recipientsOf(cands, reportedBy), err
}

// MailRecipientsAt is DB.MailRecipients for a customer whose mail
// version (repair.User.MailVersion, read with the session of the user
// filing the case) is version. Every change to who of a customer's users
// gets which mail counts up that version (migration 0023), so the
// customer's candidates for an event are kept at the version they were
// read at, and a customer's saves read them again only after such a
// change: on PostgreSQL a round trip less a save. They are read after
// the version was, so what is kept at a version is never older than it;
// and, as every derived value, kept for derivedTTL at most (a database
// restored under a running instance could repeat a version).
func (db *DB) MailRecipientsAt(ctx context.Context, version uint64, customerID, reportedBy int64, e repair.MailEvent) ([]repair.User, error) {
	key := strconv.FormatInt(customerID, 10) + "|" + string(e)
	cands, ok := db.recipients.get(key, version, db.now())
	if !ok {
		var err error
		if cands, err = readMailCandidates(ctx, db, customerID, e); err != nil {
			return nil, err
		}
		db.recipients.put(key, cands, version, db.now())
	}
	return recipientsOf(cands, reportedBy), nil
}

// A mailCandidate is a user who may get the mails of an event about its
// customer's cases: about all of them, or only about those it filed.
type mailCandidate struct {
	user repair.User
	all  bool
}

// mailCandidates are the customer's unblocked users who did not choose
// to get none of the event's mails, by id.
const mailCandidates = `
	SELECT ` + userColumns + `, COALESCE(s.cases, 'mine') = 'all'
	FROM users u ` + userCustomer + `
	LEFT JOIN mail_settings s ON s.user_id = u.id AND s.event = ?
	WHERE u.customer_id = ? AND u.disabled = ?
	  AND COALESCE(s.cases, 'mine') <> 'none'
	ORDER BY u.id`

// readMailCandidates reads the customer's candidates for event e, in a
// transaction or outside one.
func readMailCandidates(ctx context.Context, r interface {
	query(context.Context, string, ...any) (*sql.Rows, error)
}, customerID int64, e repair.MailEvent) ([]mailCandidate, error) {
	rows, err := r.query(ctx, mailCandidates, e, customerID, false)
	cands, err := collect(rows, err, scanMailCandidate)
	return cands, wrapErr("mail recipients", err)
}

func scanMailCandidate(r rowScanner) (mailCandidate, error) {
	var c mailCandidate
	var err error
	c.user, err = scanUser(multiScanner{r: r, last: []any{&c.all}})
	c.user.PasswordHash = "" // kept in memory, and no mail needs it
	return c, err
}

// recipientsOf are the candidates who get the mail about a case reportedBy
// filed, in the candidates' order.
func recipientsOf(cands []mailCandidate, reportedBy int64) []repair.User {
	var users []repair.User
	for _, c := range cands {
		if c.all || c.user.ID == reportedBy {
			users = append(users, c.user)
		}
	}
	return users
}

// InvoiceMailRecipients are the users of the customer who see its
// invoices and want the mail of a new one: those who chose it (cases
// 'all'), and its admins unless they chose 'none'. Blocked users get
// none.
func (tx *Tx) InvoiceMailRecipients(ctx context.Context, customerID int64) ([]repair.User, error) {
	rows, err := tx.query(ctx, `
		SELECT `+userColumns+`
		FROM users u `+userCustomer+`
		LEFT JOIN mail_settings s ON s.user_id = u.id AND s.event = ?
		WHERE u.customer_id = ? AND u.disabled = ?
		  AND (u.role = ? OR NOT uk.invoices_admins_only)
		  AND (s.cases = 'all' OR (s.cases IS NULL AND u.role = ?))
		ORDER BY u.id`, repair.MailInvoice, customerID, false, repair.RoleCustomerAdmin, repair.RoleCustomerAdmin)
	users, err := collect(rows, err, scanUser)
	return users, wrapErr("invoice mail recipients", err)
}

// MailSettings are user's choices of mail per event.
func (db *DB) MailSettings(ctx context.Context, userID int64) (repair.MailSettings, error) {
	rows, err := db.query(ctx, `SELECT event, cases FROM mail_settings WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: mail settings: %w", err)
	}
	defer rows.Close()
	s := repair.MailSettings{}
	for rows.Next() {
		var e repair.MailEvent
		var c repair.MailCases
		if err := rows.Scan(&e, &c); err != nil {
			return nil, fmt.Errorf("store: mail settings: %w", err)
		}
		s[e] = c
	}
	return s, wrapErr("mail settings", rows.Err())
}

// SetMailSetting records user's choice c for event e.
func (tx *Tx) SetMailSetting(ctx context.Context, userID int64, e repair.MailEvent, c repair.MailCases) error {
	if err := tx.exec(ctx, `DELETE FROM mail_settings WHERE user_id = ? AND event = ?`, userID, e); err != nil {
		return fmt.Errorf("store: set mail setting: %w", err)
	}
	return wrapErr("set mail setting", tx.exec(ctx, `INSERT INTO mail_settings (user_id, event, cases) VALUES (?, ?, ?)`, userID, e, c))
}

// wrapErr is err with what the store was doing, or nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
