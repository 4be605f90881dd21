// Package orders is Kundportal's operations layer: one function for each
// thing a person does — file a case, change its status, plan a work order,
// record an action or a cost, attach a file, keep the registers, sign in.
// Every surface (the HTML pages today; the technician's view, a JSON API
// and mail after them) calls these, so the rules live in one place.
//
// Each operation takes the acting user and a typed input, validates it
// with the domain's rules (repair.*Input.Validate and what needs the
// database), and runs one transaction that writes the change together
// with its line in the audit log, so that later outbox rows can join the
// same transaction. Invalid input is a repair.FieldErrors error with a
// Swedish message per field and nothing saved; a record the user may not
// see is repair.ErrNotFound, exactly as for a missing one.
//
// The package speaks neither HTTP nor SQL: requests are the web layer's,
// queries the store's.
package orders

import (
	"context"
	"errors"
	"regexp"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/repair"
	"kundportal/internal/seal"
	"kundportal/internal/secret"
	"kundportal/internal/store"
)

// Ops runs the operations against one store and one file store.
type Ops struct {
	db      *store.DB
	files   filestore.Store
	now     func() time.Time
	signer  *seal.Signer // nil: delivery notes are sealed by the log alone
	box     *secret.Box  // seals Huvudnyckel
	company repair.Company
	baseURL string // the site's public address, for links in mails
	// totpTechnicians makes technicians sign in with a code too.
	totpTechnicians bool
}

// New returns the operations on db and files, with now as the clock (nil
// means time.Now).
func New(db *store.DB, files filestore.Store, now func() time.Time) *Ops {
	if now == nil {
		now = time.Now
	}
	return &Ops{db: db, files: files, now: now, box: ephemeralBox(), company: repair.DemoCompany}
}

// UseCompany makes c the company the documents and invoices name.
func (o *Ops) UseCompany(c repair.Company) { o.company = c }

// Company is the company the documents and invoices name.
func (o *Ops) Company() repair.Company { return o.company }

// audit is one line of the audit log, written with the change it records.
type audit struct {
	entity   string
	entityID int64
	action   string
	detail   string
}

// change runs fn and writes its audit line in one transaction: a change
// and its record are saved together or not at all.
func (o *Ops) change(ctx context.Context, u repair.User, a func() audit, fn func(*store.Tx) error) error {
	return o.db.Update(ctx, func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		l := a()
		return tx.Audit(ctx, u.ID, l.entity, l.entityID, l.action, l.detail)
	})
}

// fixed is an audit line known before the change.
func fixed(entity string, id int64, action, detail string) func() audit {
	return func() audit { return audit{entity, id, action, detail} }
}

// staffOnly refuses anyone but dispatchers and admins, answering like a
// missing record so that the office's operations do not reveal what
// exists.
func staffOnly(u repair.User) error {
	if !u.Role.IsStaff() {
		return repair.ErrNotFound
	}
	return nil
}

// adminOnly refuses anyone but admins.
func adminOnly(u repair.User) error {
	if u.Role != repair.RoleAdmin {
		return repair.ErrNotFound
	}
	return nil
}

// invalid returns fe as the operation's error when it holds a message.
func invalid(fe repair.FieldErrors) error { return fe.Err() }

// conflictTo turns a unique-value conflict from a save into the message
// msg on field; any other error is returned as it is.
func conflictTo(err error, field, msg string) error {
	if errors.Is(err, repair.ErrConflict) {
		return repair.FieldErrors{field: msg}
	}
	return err
}

// today is the operations' current day, for date rules.
func (o *Ops) today() time.Time { return o.now().In(repair.Stockholm) }

// once runs create (which sets *id) unless a form with the one-time id
// token was handled before, in which case *id is what that one created: a
// form resent on a poor connection creates its record once. An empty
// token (a caller without one) always creates.
func once(ctx context.Context, tx *store.Tx, token, kind string, id *int64, create func() error) error {
	if token == "" {
		return create()
	}
	if err := checkClientID(token); err != nil {
		return err
	}
	prevKind, prev, err := tx.SubmittedForm(ctx, token)
	switch {
	case err == nil && prevKind == kind:
		*id = prev
		return errAlreadyDone
	case err == nil:
		return repair.FieldErrors{"client_id": "Formuläret skickades redan för något annat. Ladda om sidan och försök igen."}
	case !errors.Is(err, repair.ErrNotFound):
		return err
	}
	if err := create(); err != nil {
		return err
	}
	return tx.RecordForm(ctx, token, kind, *id)
}

// errAlreadyDone rolls back the transaction of a resent form (its audit
// line included); the operation then reports success, as the first send
// did.
var errAlreadyDone = errors.New("orders: form already handled")

// done turns errAlreadyDone into success.
func done(err error) error {
	if errors.Is(err, errAlreadyDone) {
		return nil
	}
	return err
}

// clientIDPattern is a form's one-time id as the server and the phone's
// script make them (43 characters of base64url); shorter ones are let
// through for callers of their own, longer ones or other characters never
// reach the store.
var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// checkClientID refuses a one-time id that no form of ours sent.
func checkClientID(token string) error {
	if !clientIDPattern.MatchString(token) {
		return repair.FieldErrors{"client_id": "Formuläret kunde inte tas emot. Ladda om sidan och försök igen."}
	}
	return nil
}
