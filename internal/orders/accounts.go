package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Sessions and login throttling.
const (
	// SessionIdle is how long a session lives without use.
	SessionIdle = 8 * time.Hour
	// SessionMax is how long a session lives at most, used or not.
	SessionMax = 7 * 24 * time.Hour

	// After this many failed logins within the window, further attempts
	// for the same account, or from the same client address, are refused
	// until the window has passed. The address limit is higher because
	// many people of one customer may share an office address.
	ThrottleWindow     = 15 * time.Minute
	MaxAccountFailures = 5
	MaxAddressFailures = 30

	// maxEmail bounds what is looked up and stored as a throttle key; no
	// address is longer (RFC 5321).
	maxEmail = 254
	// maxAddress bounds the client address key.
	maxAddress = 64
)

// Login errors. Both are shown to the person; an unknown address, a wrong
// password and a blocked login are the same ErrBadLogin and cost the same
// time, so none of them can be told from the others.
var (
	ErrBadLogin  = errors.New("orders: wrong e-mail address or password")
	ErrThrottled = errors.New("orders: too many failed logins")
)

// LoginInput is a login attempt: what was typed, where it came from, and
// the session it replaces, if the browser had one.
type LoginInput struct {
	Email, Password string
	Address         string // the client's IP address, for throttling
	OldTokenHash    string
}

// Login is a started session: the token for the cookie, when it expires
// unless used, and whose it is. For a user with two-factor login, the
// password starts no session but a challenge that waits for the code
// (CompleteSignIn): Challenge is its token, and Token is empty.
type Login struct {
	Token     string
	Expires   time.Time
	User      repair.User
	Challenge string
}

// missing is the login form's verdict before any attempt: a message for
// each field left empty.
func (in LoginInput) missing() repair.FieldErrors {
	fe := repair.FieldErrors{}
	if strings.TrimSpace(in.Email) == "" {
		fe.Add("email", "Ange din e-postadress.")
	}
	if in.Password == "" {
		fe.Add("password", "Ange ditt lösenord.")
	}
	return fe
}

// SignIn checks a login attempt and starts a session. Every failing path
// runs exactly one password hash (the account's own, or a dummy with the
// same parameters for an unknown address) and the same writes, so their
// timing does not reveal which accounts exist or are blocked.
//
// A form with the e-mail address or the password left empty is no attempt:
// it gets repair.FieldErrors (see missing) at once, without reading or
// writing the throttle's counts or hashing anything. That answer depends
// on nothing but the form, so it tells nothing about any account, and a
// person who pressed Logga in too early has not used up an attempt.
func (o *Ops) SignIn(ctx context.Context, in LoginInput) (Login, error) {
	if err := invalid(in.missing()); err != nil {
		return Login{}, err
	}
	email := throttleEmail(in.Email)
	accountKey, addressKey := "account:"+email, "address:"+clip(in.Address, maxAddress)
	if err := o.throttled(ctx, accountKey, addressKey); err != nil {
		return Login{}, err
	}

	u, err := o.db.UserByEmail(ctx, email)
	hash := auth.DummyHash()
	switch {
	case err == nil:
		hash = u.PasswordHash
	case !errors.Is(err, repair.ErrNotFound):
		return Login{}, err
	}
	checkErr := auth.CheckPassword(hash, in.Password)
	if err != nil || u.Disabled || checkErr != nil {
		if checkErr != nil && !errors.Is(checkErr, auth.ErrMismatch) {
			return Login{}, fmt.Errorf("orders: sign in: password check of user %d: %w", u.ID, checkErr)
		}
		if err := o.db.Update(ctx, func(tx *store.Tx) error {
			return tx.AddLoginFailure(ctx, accountKey, addressKey)
		}); err != nil {
			return Login{}, err
		}
		return Login{}, ErrBadLogin
	}

	// A new token at every login, so a session id planted before login is
	// worth nothing after it.
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return Login{}, err
	}
	if u.TOTPEnabled {
		// The password was right; the session waits for the code. The
		// failures are cleared with the code's success, not before.
		err := o.db.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateLoginChallenge(ctx, tokenHash, u.ID, challengeTTL)
		})
		return Login{Challenge: token, Expires: o.db.Now().Add(challengeTTL), User: u}, err
	}
	expires := o.db.Now().Add(SessionIdle)
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		return startSession(ctx, tx, in.OldTokenHash, accountKey, tokenHash, u.ID, expires)
	})
	if err != nil {
		return Login{}, err
	}
	return Login{Token: token, Expires: expires, User: u}, nil
}

// throttleEmail is an address as typed, normalised for the throttle's
// key: "" for one no account can have.
func throttleEmail(typed string) string {
	email := store.NormalizeEmail(typed)
	if len(email) > maxEmail || !repair.CleanText(email) {
		return ""
	}
	return email
}

// throttled is ErrThrottled when the account's or the client address's
// failures within ThrottleWindow have reached their limit.
func (o *Ops) throttled(ctx context.Context, accountKey, addressKey string) error {
	since := o.db.Now().Add(-ThrottleWindow)
	accountFails, err := o.db.LoginFailures(ctx, accountKey, since)
	if err != nil {
		return err
	}
	addressFails, err := o.db.LoginFailures(ctx, addressKey, since)
	if err != nil {
		return err
	}
	if accountFails >= MaxAccountFailures || addressFails >= MaxAddressFailures {
		return ErrThrottled
	}
	return nil
}

// SignOut ends the session with the token hash, on every instance.
func (o *Ops) SignOut(ctx context.Context, tokenHash string) error {
	return o.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, tokenHash) })
}

// Session returns the live session with the token hash and its user, or
// repair.ErrNotFound for a missing, expired or too old one. A session in
// use is extended, at most one write per few minutes.
func (o *Ops) Session(ctx context.Context, tokenHash string) (store.Session, repair.User, error) {
	const touchEvery = 5 * time.Minute
	sess, u, err := o.db.SessionUser(ctx, tokenHash)
	if err != nil {
		return sess, u, err
	}
	now := o.db.Now()
	if now.Sub(sess.CreatedAt) > SessionMax {
		return sess, u, repair.ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := o.db.Update(ctx, func(tx *store.Tx) error {
			return tx.TouchSession(ctx, tokenHash, now.Add(SessionIdle))
		}); err != nil {
			// The session stays valid until its old expiry; a failed
			// extension must not sign the person out.
			return sess, u, fmt.Errorf("%w: touch session: %v", ErrSessionNotExtended, err)
		}
	}
	return sess, u, nil
}

// ErrSessionNotExtended wraps a failure to extend a valid session; the
// session and user returned with it are good.
var ErrSessionNotExtended = errors.New("orders: session not extended")

// ChangePassword replaces the user's password after checking the current
// one, and ends every session of the user, the current one too: signing
// in again with the new password also proves it works.
func (o *Ops) ChangePassword(ctx context.Context, u repair.User, in repair.PasswordChangeInput) error {
	fe := in.Validate()
	if in.Current != "" {
		if err := auth.CheckPassword(u.PasswordHash, in.Current); errors.Is(err, auth.ErrMismatch) {
			fe.Add("current", "Fel lösenord.")
		} else if err != nil {
			return err
		}
	}
	if err := invalid(fe); err != nil {
		return err
	}
	hash, err := auth.HashPassword(in.New)
	if err != nil {
		return err
	}
	return o.change(ctx, u, fixed("user", u.ID, "password", "Lösenord bytt"), func(tx *store.Tx) error {
		return tx.SetPassword(ctx, u.ID, hash, false)
	})
}

// startSession is the end of a login, in its transaction: the session
// from before it (oldTokenHash, if any) ends, the account's failed
// logins are forgotten, and the new session starts.
func startSession(ctx context.Context, tx *store.Tx, oldTokenHash, accountKey, tokenHash string, userID int64, expires time.Time) error {
	if oldTokenHash != "" {
		if err := tx.DeleteSession(ctx, oldTokenHash); err != nil {
			return err
		}
	}
	if err := tx.ClearLoginFailures(ctx, accountKey); err != nil {
		return err
	}
	return tx.CreateSession(ctx, tokenHash, userID, expires)
}
